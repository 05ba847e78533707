# The SMB requests a Linux cifs client sent to the share `data`, from a copy of its
# /proc/fs/cifs/Stats (reset before the action, read after it), one row per LABEL: smbs (every
# request), then per command creates (opens, and the open of a compound that stats a path),
# closes, queryinfo (stat the attribute cache did not answer), reads, writes, locks (lock and
# unlock requests), flushes (fsync), querydir (folder listings), setinfo. A compound (create +
# query + close of a path's stat) is one round trip and three requests here.
# Used by bench/smb_guest_actions.sh:
#   awk -v label=finalize -f bench/cifs_stats.awk finalize.cifs
# With -v header=1 (and no file) it prints the header row.
BEGIN {
  split("creates closes queryinfo reads writes locks flushes querydir setinfo", cols, " ")
  if (header) {
    printf "%-9s %6s", "action", "smbs"
    for (i = 1; i in cols; i++) printf " %9s", cols[i]
    printf "\n"
    exit
  }
}
# The share's section starts with "N) \\host\data" and ends at the next share's.
/^[0-9]+\) / { in_data = ($0 ~ /\\data$/) ; next }
!in_data { next }
$1 == "SMBs:" { n["smbs"] = $2 }
$1 == "Creates:" { n["creates"] = $2 }
$1 == "Closes:" { n["closes"] = $2 }
$1 == "QueryInfos:" { n["queryinfo"] = $2 }
$1 == "Reads:" { n["reads"] = $2 }
$1 == "Writes:" { n["writes"] = $2 }
$1 == "Locks:" { n["locks"] = $2 }
$1 == "Flushes:" { n["flushes"] = $2 }
$1 == "QueryDirectories:" { n["querydir"] = $2 }
$1 == "SetInfos:" { n["setinfo"] = $2 }
END {
  if (header) exit
  if (!("smbs" in n)) { printf "%-9s no statistics of share data found\n", label; exit 1 }
  printf "%-9s %6d", label, n["smbs"]
  for (i = 1; i in cols; i++) printf " %9d", n[cols[i]]
  printf "\n"
}
