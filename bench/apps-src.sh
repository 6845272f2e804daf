#!/bin/sh
# The inputs of bench/apps-in.sh, made the same each time: a compute script
# for python and node, small and large C files, a 20-file C project, a tree
# of 2,000 files, a sqlite script, a Java program, a program for gdb to step.
# usage: bench/apps-src.sh DIR
set -eu
dir=$1
rm -rf "$dir"
mkdir -p "$dir/proj" "$dir/tree"
cd "$dir"

cat > compute.py <<'EOF'
import hashlib, json
d = {}
for i in range(300000):
    d[str(i)] = i * i % 7919
s = json.dumps(d)
h = hashlib.sha256()
for _ in range(20):
    h.update(s.encode())
print(sum(sorted(d.values())[:1000]), h.hexdigest()[:8])
EOF

cat > compute.js <<'EOF'
let d = {};
for (let i = 0; i < 1000000; i++) d["k" + i] = i * i % 7919;
let s = JSON.stringify(d);
console.log(Object.values(d).sort((a, b) => a - b)[500], s.length);
EOF

cat > sqlite.py <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("create table t (id integer primary key, name text, v real)")
with db:
    for i in range(100000):
        db.execute("insert into t (name, v) values (?, ?)", ("name%d" % i, i * 0.5))
print(db.execute("select count(*), sum(v) from t").fetchone())
db.close()
EOF

cat > small.c <<'EOF'
#include <stdio.h>
int main(void) { puts("hello"); return 0; }
EOF

# a large file: 3,000 functions that call each other
awk 'BEGIN {
	print "#include <stdio.h>"
	for (i = 0; i < 3000; i++) {
		printf "int f%d(int x) { int s = 0; for (int i = 0; i < x %% 17; i++) s += i * %d ^ (s >> 3);", i, i
		if (i) printf " return s + f%d(x - 1); }\n", i - 1
		else print " return s; }"
	}
	print "int main(void) { printf(\"%d\\n\", f2999(40)); return 0; }"
}' > large.c

# a project of 20 files and a makefile
i=0
while [ $i -lt 20 ]; do
	printf '#include <string.h>\nint p%d(const char *s) { return (int)strlen(s) * %d; }\n' $i $i > proj/p$i.c
	i=$((i + 1))
done
printf 'int main(void) { return 0; }\n' > proj/main.c
printf 'OBJ := $(patsubst %%.c,%%.o,$(wildcard *.c))\nCFLAGS = -O2\nprog: $(OBJ)\n\t$(CC) -o $@ $^\n' \
	> proj/Makefile

# 2,000 files in 100 directories
awk -v dir=tree 'BEGIN {
	for (d = 0; d < 100; d++) {
		system("mkdir -p " dir "/f/" d)
		for (f = 0; f < 20; f++)
			printf "file %d of directory %d\nsome text to diff\n", f, d > (dir "/f/" d "/" f)
	}
}'

cat > Hello.java <<'EOF'
public class Hello {
    public static void main(String[] args) {
        java.util.Map<String, Integer> m = new java.util.HashMap<>();
        for (int i = 0; i < 200000; i++) m.put("k" + i, i);
        System.out.println("hello " + m.size());
    }
}
EOF

cat > loop.c <<'EOF'
int step(int i) { return i * 3 + 1; }
int main(void)
{
	int s = 0;
	for (int i = 0; i < 200; i++)
		s += step(i);
	return s == 0;
}
EOF
# gdb stops 200 times at a breakpoint and single-steps 200 lines
cat > gdb.cmd <<'EOF'
break step
run
ignore 1 198
continue
next
set $n = 0
while $n < 200
  stepi
  set $n = $n + 1
end
kill
EOF
