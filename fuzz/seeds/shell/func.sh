f() { case "$1" in a|b) echo ${1:-x};; *) return 2;; esac; }
f a && f c || echo "$?"
