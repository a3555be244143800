# Sourced by scripts/build-testapps.sh in the app's scratch copy: writes the
# packed app's files, none of which holds code. The "encrypted DEX" and
# Legu's other assets are SHA-256 in counter mode over a fixed seed (random-
# looking, the same on every build); the native loader is an ELF32 ARM
# header with no segments or sections.
mkdir -p assets lib/armeabi-v7a
python3 - <<'PY'
import hashlib, struct

def stream(seed, n):
    out = b""
    i = 0
    while len(out) < n:
        out += hashlib.sha256(b"appxray packer-stub %s %d" % (seed, i)).digest()
        i += 1
    return out[:n]

files = {
    "assets/0OO00l111l1l": stream(b"dex", 4096),
    "assets/0OO00oo01l1l": stream(b"map", 512),
    "assets/o0oooOO0ooOo.dat": stream(b"dat", 256),
    "assets/tosversion": stream(b"tos", 32).hex()[:16].encode(),
}
for name, data in files.items():
    with open(name, "wb") as f:
        f.write(data)

# e_ident (ELFCLASS32, little-endian, version 1), then ET_DYN, EM_ARM, version
# 1, no entry, no program or section headers; e_ehsize 52.
ehdr = b"\x7fELF\x01\x01\x01" + b"\x00" * 9
ehdr += struct.pack("<HHIIIIIHHHHHH", 3, 40, 1, 0, 0, 0, 0x05000000, 52, 32, 0, 40, 0, 0)
with open("lib/armeabi-v7a/libshell-super.2019.so", "wb") as f:
    f.write(ehdr)
PY
