#!/usr/bin/env python3
"""Play a compromised sandbox kernel: in the writable memory of process PID,
replace every NUL-terminated string OLD (with the slashes just before it)
by NEW.  Prints how many it replaced; exits 1 when none."""
import re
import sys


def main():
    pid, old, new = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode()
    if len(new) > len(old):
        sys.exit("rewrite_kernel_memory: NEW is longer than OLD")
    found = 0
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "r+b", 0) as mem:
        for line in maps:
            fields = line.split()
            if fields[1][:2] != "rw" or line.rstrip().endswith(("[vvar]", "[vsyscall]")):
                continue
            start, end = (int(x, 16) for x in fields[0].split("-"))
            try:
                mem.seek(start)
                data = mem.read(end - start)
            except OSError:
                continue
            for m in re.finditer(b"/*" + re.escape(old) + b"\0", data):
                mem.seek(start + m.start())
                mem.write(new + b"\0")
                found += 1
    print(found)
    sys.exit(0 if found else 1)


main()
