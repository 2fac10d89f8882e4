# CPU accounting for the bench run scripts: how many of the machine's cores
# each process (or group of processes) used during a measured window.
#   before=$(cpu_ticks "$service_pid" "$(pg_pids "$pgdata")" ...)
#   ... the window ...
#   after=$(cpu_ticks ...)
#   cpu_cores "$before" "$after" SECONDS name1 name2 ...
# prints "name1 0.84, name2 0.31, ...; machine busy 1.92 of N".

# utime + stime of the pids (a space-separated list), in clock ticks.
proc_ticks() {
  local total=0 pid
  for pid in $1; do
    [ -r "/proc/$pid/stat" ] || continue
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}

# The postmaster of a data directory and its children.
pg_pids() {
  local postmaster
  postmaster=$(head -n 1 "$1/postmaster.pid")
  echo "$postmaster" $(pgrep -P "$postmaster" | tr '\n' ' ')
}

# Busy and total ticks of the whole machine.
machine_ticks() {
  awk '/^cpu /{busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6}' /proc/stat
}

# One snapshot: the ticks of each argument (a pid list), then the machine's.
cpu_ticks() {
  local group out=""
  for group in "$@"; do out="$out $(proc_ticks "$group")"; done
  echo "$out $(machine_ticks)"
}

# cpu_cores BEFORE AFTER SECONDS NAME...: cores used by each group.
cpu_cores() {
  local before=$1 after=$2 seconds=$3
  shift 3
  awk -v a="$before" -v b="$after" -v s="$seconds" -v hz="$(getconf CLK_TCK)" \
    -v names="$*" -v cores="$(nproc)" '
    BEGIN {
      n = split(names, name, " "); split(a, x, " "); split(b, y, " ");
      line = "  cpu (cores of " cores "):"; sum = 0;
      for (i = 1; i <= n; i++) {
        used = (y[i] - x[i]) / hz / s; sum += used;
        line = line sprintf(" %s %.2f,", name[i], used);
      }
      busy = (y[n + 1] - x[n + 1]) / (y[n + 2] - x[n + 2]) * cores;
      printf "%s machine busy %.2f, of which other processes %.2f\n", line, busy, busy - sum;
    }'
}
