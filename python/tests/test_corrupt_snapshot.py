"""citytwin.load on a snapshot whose checksum was recomputed after a field was
changed (anyone can: FNV-1a is unkeyed): InvalidInput naming the file and the
field, never a crash of the interpreter."""
import struct

import pytest

import citytwin

HEADER = 32  # "CITYTWIN" | u32 version | u32 byte order | u64 payload bytes | u64 FNV-1a 64


def _fnv1a64(data: bytes) -> int:
    h = 1469598103934665603
    for b in data:
        h = ((h ^ b) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return h


def _link_to_offset(payload: bytes) -> tuple[int, int]:
    """Byte offset of roads.link_to[0] in the payload, and the node count (snapshot.cpp's field order)."""
    pos = 0

    def u64():
        nonlocal pos
        (v,) = struct.unpack_from("<Q", payload, pos)
        pos += 8
        return v

    def skip(width):  # a column: u64 length, then length * width bytes
        nonlocal pos
        n = u64()
        pos += n * width
        return n

    for _ in range(3):  # name, crs, crs_wkt
        skip(1)
    for _ in range(u64()):  # sources: department, path, layer
        for _ in range(3):
            skip(1)
    nodes = skip(8)  # node_x
    skip(8)          # node_y
    skip(1)          # node_signal
    skip(4)          # node_source.source
    skip(8)          # node_source.feature
    skip(4)          # link_from
    u64()                                     # link_to's length
    return pos, nodes


def test_index_past_the_node_count_is_invalid_input(city, tmp_path):
    data = bytearray(city.read_bytes())
    payload = data[HEADER:]
    at, nodes = _link_to_offset(bytes(payload))
    struct.pack_into("<I", payload, at, nodes)  # link 0 ends at node `nodes`: one past the last
    struct.pack_into("<Q", data, 24, _fnv1a64(bytes(payload)))
    data[HEADER:] = payload
    bad = tmp_path / "bad.twin"
    bad.write_bytes(bytes(data))
    with pytest.raises(citytwin.InvalidInput) as err:
        citytwin.load(bad)
    assert "roads.link_to[0]" in str(err.value)
    assert str(bad) in str(err.value)
