"""Just enough HTTP/2 framing to play a misbehaving client by hand (RFC 9113): frames, a
literal-only HPACK header block, and a reader that collects what the server sends."""

import socket
import struct
import time

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

DATA, HEADERS, RST_STREAM, SETTINGS, PING, GOAWAY, WINDOW_UPDATE = 0x0, 0x1, 0x3, 0x4, 0x6, 0x7, 0x8
END_STREAM, ACK, END_HEADERS = 0x1, 0x1, 0x4
SETTINGS_INITIAL_WINDOW_SIZE = 0x4


def frame(kind, flags=0, stream=0, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + \
        struct.pack(">I", stream & 0x7FFFFFFF) + payload


def settings(**values):
    ids = {"initial_window_size": SETTINGS_INITIAL_WINDOW_SIZE}
    return frame(SETTINGS, payload=b"".join(struct.pack(">HI", ids[k], v)
                                            for k, v in values.items()))


def hpack_int(value, prefix_bits=7, flags=0):
    """An HPACK integer (RFC 7541, 5.1) in a first byte whose other bits are `flags`."""
    limit = (1 << prefix_bits) - 1
    if value < limit:
        return bytes([flags | value])
    out, value = bytearray([flags | limit]), value - limit
    while value >= 128:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    out.append(value)
    return bytes(out)


def header_block(headers):
    """Each header as a literal without indexing and with a new name, no Huffman coding."""
    out = bytearray()
    for name, value in headers:
        name = name.encode() if isinstance(name, str) else name
        value = value.encode() if isinstance(value, str) else value
        out += b"\x00" + hpack_int(len(name)) + name + hpack_int(len(value)) + value
    return bytes(out)


def get_request(stream, path="/_emulator/health", authority="localhost"):
    block = header_block([(":method", "GET"), (":scheme", "http"), (":path", path),
                          (":authority", authority)])
    return frame(HEADERS, END_HEADERS | END_STREAM, stream, block)


def connect(port, timeout=5.0):
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock.sendall(PREFACE + frame(SETTINGS))
    return sock


def read_frames(sock, seconds):
    """Frames until the server closes the connection or `seconds` pass: (frames, closed)."""
    buf = b""
    frames = []
    closed = False
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            break
        except (ConnectionResetError, BrokenPipeError):
            closed = True
            break
        if not chunk:
            closed = True
            break
        buf += chunk
        while len(buf) >= 9:
            length = int.from_bytes(buf[:3], "big")
            if len(buf) < 9 + length:
                break
            kind, flags = buf[3], buf[4]
            stream = int.from_bytes(buf[5:9], "big") & 0x7FFFFFFF
            frames.append((kind, flags, stream, buf[9:9 + length]))
            buf = buf[9 + length:]
    return frames, closed


def goaway_code(frames):
    for kind, _, _, payload in frames:
        if kind == GOAWAY:
            return int.from_bytes(payload[4:8], "big")
    return None
