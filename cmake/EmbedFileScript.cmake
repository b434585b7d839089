file(READ ${INPUT} hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR size "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
file(WRITE ${OUTPUT} "// Generated from ${INPUT}; do not edit.\n#include <string_view>\n"
     "namespace kinesis_emulator::embedded {\nstatic const char data[] = {${bytes}};\n"
     "extern const std::string_view ${SYMBOL}(data, ${size});\n}\n")
