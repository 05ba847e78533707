# The system calls of one strace -f -yy log that name the company folder DIR or a file in it
# (the ones that reach a share), one row per LABEL: locks (fcntl byte-range locks, unlocks and
# tests), reads, writes, listings (opens of the folder to list it), getdents64, opens, stat,
# syncs, folder (all of those and the rest, without close and local fcntl calls), all (every call).
# Used by bench/syscalls.sh and bench/smb_guest_actions.sh:
#   awk -v label=finalize -v dir=/path/to/company -f bench/syscall_counts.awk finalize.strace
# With -v header=1 (and no log) it prints the header row.
BEGIN {
  if (header) {
    printf "%-9s %6s %6s %6s %9s %9s %6s %6s %6s %7s %6s\n", "action", "locks", "reads", "writes",
      "listings", "getdents", "opens", "stat", "syncs", "folder", "all"
    exit
  }
}

/ resumed>/ || /^[0-9]+ +(\+\+\+|---)/ { next }
{ all++ }
index($0, dir "/") || index($0, dir ">") || index($0, "\"" dir "\"") {
  call = $2; sub(/\(.*/, "", call)
  if (call == "fcntl") { if ($0 ~ /F_(OFD_)?SETLKW?|F_(OFD_)?GETLK/) n["locks"]++ }
  else if (call == "pread64" || call == "read" || call == "preadv") n["reads"]++
  else if (call == "pwrite64" || call == "write" || call == "pwritev") n["writes"]++
  else if (call == "getdents64") n["getdents"]++
  else if (call == "openat" || call == "open") { if ($0 ~ /O_DIRECTORY/) n["listings"]++; else n["opens"]++ }
  else if (call == "statx" || call == "newfstatat" || call == "fstat") n["stat"]++
  else if (call == "fsync" || call == "fdatasync") {
    n["syncs"]++
    if (index($0, "<" dir ">)")) n["listings"]--  # the folder opened to sync it, not listed
  }
  if (call != "close" && !(call == "fcntl" && $0 !~ /LK/)) n["folder"]++
}
END {
  if (header) exit
  printf "%-9s %6d %6d %6d %9d %9d %6d %6d %6d %7d %6d\n", label, n["locks"], n["reads"], n["writes"],
    n["listings"], n["getdents"], n["opens"], n["stat"], n["syncs"], n["folder"], all
}
