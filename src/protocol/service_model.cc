#include "protocol/service_model.h"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <utility>

#include <nlohmann/json.hpp>

namespace kinesis_emulator::protocol {
namespace {

// Ordered so that structure members keep the model's order: constraint violations are reported
// in that order.
using model_json = nlohmann::ordered_json;
using shape_map = std::map<std::string, std::unique_ptr<Shape>, std::less<>>;
using operation_map = std::map<std::string, Operation, std::less<>>;

Error model_error(std::string message) {
  return make_error(errc::internal_failure, "service model: " + std::move(message));
}

std::optional<ShapeType> parse_shape_type(std::string_view type) {
  if (type == "structure") return ShapeType::structure;
  if (type == "list") return ShapeType::list;
  if (type == "map") return ShapeType::map;
  if (type == "string") return ShapeType::string;
  if (type == "integer") return ShapeType::integer;
  if (type == "long") return ShapeType::long_;
  if (type == "boolean") return ShapeType::boolean;
  if (type == "blob") return ShapeType::blob;
  if (type == "timestamp") return ShapeType::timestamp;
  if (type == "double" || type == "float") return ShapeType::double_;
  return std::nullopt;
}

std::optional<int64_t> parse_bound(const model_json& v) {
  if (v.is_number_integer()) return v.get<int64_t>();  // also unsigned values that fit
  if (v.is_number_float()) return static_cast<int64_t>(v.get<double>());
  return std::nullopt;
}

// Recognises `[set]+` where the set is plain characters and ranges (no escapes, no negation).
std::optional<SimplePattern> char_run_pattern(std::string_view p) {
  if (p.size() < 4 || p.front() != '[' || p.substr(p.size() - 2) != "]+") return std::nullopt;
  const std::string_view set = p.substr(1, p.size() - 3);
  if (set.empty() || set.front() == '^') return std::nullopt;
  SimplePattern out;
  out.kind = SimplePattern::Kind::char_run;
  for (std::size_t i = 0; i < set.size(); ++i) {
    const char c = set[i];
    if (c == '\\' || c == '[' || c == ']') return std::nullopt;
    if (i + 2 < set.size() && set[i + 1] == '-') {
      const char last = set[i + 2];
      if (last == '\\' || last == '[' || last == ']' || last < c) return std::nullopt;
      for (int ch = static_cast<unsigned char>(c); ch <= static_cast<unsigned char>(last); ++ch) {
        out.allowed[static_cast<std::size_t>(ch)] = true;
      }
      i += 2;
    } else {
      out.allowed[static_cast<unsigned char>(c)] = true;
    }
  }
  return out;
}

// Recognises `0|([1-9]\d{0,N})`.
std::optional<SimplePattern> decimal_pattern(std::string_view p) {
  constexpr std::string_view prefix = "0|([1-9]\\d{0,";
  constexpr std::string_view suffix = "})";
  if (p.size() <= prefix.size() + suffix.size() || p.substr(0, prefix.size()) != prefix ||
      p.substr(p.size() - suffix.size()) != suffix) {
    return std::nullopt;
  }
  const std::string_view digits = p.substr(prefix.size(), p.size() - prefix.size() - suffix.size());
  std::size_t n = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  SimplePattern out;
  out.kind = SimplePattern::Kind::decimal;
  out.max_digits = n + 1;
  return out;
}

Result<std::unique_ptr<Shape>> parse_shape(const std::string& name, const model_json& def) {
  if (!def.is_object()) return model_error("shape '" + name + "' is not an object");
  const auto type_it = def.find("type");
  if (type_it == def.end() || !type_it->is_string()) {
    return model_error("shape '" + name + "' has no type");
  }
  const auto type = parse_shape_type(type_it->get_ref<const std::string&>());
  if (!type) {
    return model_error("shape '" + name + "' has unsupported type '" + type_it->get<std::string>() +
                       "'");
  }
  auto shape = std::make_unique<Shape>();
  shape->name = name;
  shape->type = *type;
  for (const auto& [bound, slot] : {std::pair{"min", &shape->min}, std::pair{"max", &shape->max}}) {
    const auto it = def.find(bound);
    if (it == def.end()) continue;
    *slot = parse_bound(*it);
    if (!*slot) return model_error("shape '" + name + "' has a non-numeric " + bound);
  }
  if (const auto it = def.find("pattern"); it != def.end()) {
    if (!it->is_string()) return model_error("shape '" + name + "' has a non-string pattern");
    shape->pattern_text = it->get<std::string>();
    try {
      // Wrapped so that a top-level alternation such as `0|([1-9]\d{0,38})` is anchored as a
      // whole by regex_match.
      shape->pattern.emplace("(?:" + shape->pattern_text + ")", std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      return model_error("shape '" + name + "' has an invalid pattern '" + shape->pattern_text +
                         "': " + e.what());
    }
    shape->simple_pattern = char_run_pattern(shape->pattern_text);
    if (!shape->simple_pattern) shape->simple_pattern = decimal_pattern(shape->pattern_text);
  }
  if (const auto it = def.find("exception"); it != def.end()) {
    shape->exception = it->is_boolean() && it->get<bool>();
  }
  if (const auto it = def.find("enum"); it != def.end()) {
    if (!it->is_array()) return model_error("shape '" + name + "' has a non-array enum");
    for (const auto& value : *it) {
      if (!value.is_string())
        return model_error("shape '" + name + "' has a non-string enum value");
      shape->enum_values.push_back(value.get<std::string>());
    }
  }
  return shape;
}

// Resolves a reference, {"shape": "Name"}, to the shape it names.
Result<const Shape*> resolve(const shape_map& shapes, const model_json& ref,
                             const std::string& context) {
  if (!ref.is_object()) return model_error(context + " has a malformed shape reference");
  const auto target = ref.find("shape");
  if (target == ref.end() || !target->is_string()) {
    return model_error(context + " has a malformed shape reference");
  }
  const auto found = shapes.find(target->get_ref<const std::string&>());
  if (found == shapes.end()) {
    return model_error(context + " refers to unknown shape '" + target->get<std::string>() + "'");
  }
  return found->second.get();
}

// Resolves the reference held under `key` of a shape or operation definition.
Result<const Shape*> resolve_field(const shape_map& shapes, const model_json& def, const char* key,
                                   const std::string& context) {
  const auto it = def.find(key);
  if (it == def.end()) return model_error(context + " has no '" + key + "'");
  return resolve(shapes, *it, context + " '" + key + "'");
}

Status link_shape(const shape_map& shapes, Shape& shape, const model_json& def) {
  const std::string context = "shape '" + shape.name + "'";
  switch (shape.type) {
    case ShapeType::structure: {
      const auto members = def.find("members");
      if (members == def.end()) break;
      if (!members->is_object()) return model_error(context + " has malformed members");
      for (const auto& [member_name, member_def] : members->items()) {
        auto target = resolve(shapes, member_def, context + " member '" + member_name + "'");
        if (!target) return std::move(target).error();
        shape.members.push_back(Member{member_name, *target, false});
      }
      if (const auto required = def.find("required"); required != def.end()) {
        if (!required->is_array()) return model_error(context + " has a malformed required list");
        for (const auto& name : *required) {
          bool found = false;
          if (name.is_string()) {
            for (Member& member : shape.members) {
              if (member.name == name.get_ref<const std::string&>()) {
                member.required = true;
                found = true;
              }
            }
          }
          if (!found) {
            return model_error(context + " requires unknown member " + name.dump());
          }
        }
      }
      break;
    }
    case ShapeType::list: {
      auto member = resolve_field(shapes, def, "member", context);
      if (!member) return std::move(member).error();
      shape.member = *member;
      break;
    }
    case ShapeType::map: {
      auto key = resolve_field(shapes, def, "key", context);
      if (!key) return std::move(key).error();
      auto value = resolve_field(shapes, def, "value", context);
      if (!value) return std::move(value).error();
      if ((*key)->type != ShapeType::string) {
        return model_error(context + " has a non-string key shape");
      }
      shape.key = *key;
      shape.value = *value;
      break;
    }
    default:
      break;
  }
  return {};
}

Status load(const model_json& doc, std::string& target_prefix, std::string& api_version,
            shape_map& shapes, operation_map& operations) {
  if (!doc.is_object()) return model_error("document is not an object");
  const auto metadata = doc.find("metadata");
  if (metadata == doc.end() || !metadata->is_object()) return model_error("no metadata");
  if (const auto it = metadata->find("targetPrefix"); it != metadata->end() && it->is_string()) {
    target_prefix = it->get<std::string>();
  }
  if (const auto it = metadata->find("apiVersion"); it != metadata->end() && it->is_string()) {
    api_version = it->get<std::string>();
  }

  const auto shape_defs = doc.find("shapes");
  if (shape_defs == doc.end() || !shape_defs->is_object()) return model_error("no shapes");
  for (const auto& [name, def] : shape_defs->items()) {
    auto shape = parse_shape(name, def);
    if (!shape) return std::move(shape).error();
    shapes.emplace(name, std::move(shape).value());
  }
  for (const auto& [name, def] : shape_defs->items()) {
    if (auto linked = link_shape(shapes, *shapes.find(name)->second, def); !linked) {
      return linked;
    }
  }

  const auto operation_defs = doc.find("operations");
  if (operation_defs == doc.end() || !operation_defs->is_object()) {
    return model_error("no operations");
  }
  for (const auto& [name, def] : operation_defs->items()) {
    const std::string context = "operation '" + name + "'";
    if (!def.is_object()) return model_error(context + " is not an object");
    Operation op;
    op.name = name;
    if (def.contains("input")) {
      auto input = resolve_field(shapes, def, "input", context);
      if (!input) return std::move(input).error();
      if ((*input)->type != ShapeType::structure) {
        return model_error(context + " has a non-structure input");
      }
      op.input = *input;
    }
    if (def.contains("output")) {
      auto output = resolve_field(shapes, def, "output", context);
      if (!output) return std::move(output).error();
      op.output = *output;
    }
    operations.emplace(name, std::move(op));
  }
  return {};
}

}  // namespace

bool Shape::matches_pattern(std::string_view text) const {
  if (simple_pattern) {
    const SimplePattern& p = *simple_pattern;
    if (p.kind == SimplePattern::Kind::char_run) {
      if (text.empty()) return false;
      for (const char c : text) {
        if (!p.allowed[static_cast<unsigned char>(c)]) return false;
      }
      return true;
    }
    if (text == "0") return true;
    if (text.empty() || text.size() > p.max_digits || text[0] < '1' || text[0] > '9') return false;
    for (const char c : text) {
      if (c < '0' || c > '9') return false;
    }
    return true;
  }
  if (!pattern) return true;
  return std::regex_match(text.begin(), text.end(), *pattern);
}

Result<std::unique_ptr<ServiceModel>> ServiceModel::parse(std::string_view json_text) {
  const model_json doc = model_json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return model_error("not valid JSON");
  auto model = std::make_unique<ServiceModel>();
  try {
    if (auto loaded = load(doc, model->target_prefix_, model->api_version_, model->shapes_,
                           model->operations_);
        !loaded) {
      return std::move(loaded).error();
    }
  } catch (const std::exception& e) {  // start-up only; nlohmann's accessors may throw
    return model_error(e.what());
  }
  return model;
}

const Operation* ServiceModel::find_operation(std::string_view name) const {
  const auto it = operations_.find(name);
  return it == operations_.end() ? nullptr : &it->second;
}

const Shape* ServiceModel::find_shape(std::string_view name) const {
  const auto it = shapes_.find(name);
  return it == shapes_.end() ? nullptr : it->second.get();
}

std::vector<const Operation*> ServiceModel::operations() const {
  std::vector<const Operation*> out;
  out.reserve(operations_.size());
  for (const auto& [name, op] : operations_) out.push_back(&op);
  return out;
}

const ServiceModel* ServiceModel::load_embedded(std::string_view json_text, std::string_view name) {
  auto parsed = ServiceModel::parse(json_text);
  if (!parsed) {
    std::fprintf(stderr, "fatal: the embedded %.*s service model failed to load: %s\n",
                 static_cast<int>(name.size()), name.data(), parsed.error().message.c_str());
    std::abort();
  }
  return std::move(parsed).value().release();
}

const char* shape_type_name(ShapeType type) {
  switch (type) {
    case ShapeType::structure:
      return "structure";
    case ShapeType::list:
      return "list";
    case ShapeType::map:
      return "map";
    case ShapeType::string:
      return "string";
    case ShapeType::integer:
      return "integer";
    case ShapeType::long_:
      return "long";
    case ShapeType::boolean:
      return "boolean";
    case ShapeType::blob:
      return "blob";
    case ShapeType::timestamp:
      return "timestamp";
    case ShapeType::double_:
      return "double";
  }
  return "value";
}

}  // namespace kinesis_emulator::protocol
