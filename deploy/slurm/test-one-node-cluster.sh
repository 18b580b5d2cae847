#!/usr/bin/env bash
# End-to-end check of the SLURM scripts on one machine: stands up a one-node SLURM cluster from
# Debian's packages (slurm-wlm, munge), runs a 4-task array of a tiny random model with
# logitscope-array.sbatch, merges the shards with logitscope-merge.sbatch and compares the merge
# with an unsharded run of the same command. Needs root (it installs packages and starts munged,
# slurmctld and slurmd, and stops them again); it does not run in CI.
#
#   sudo deploy/slurm/test-one-node-cluster.sh [WORK_DIR]
#
# Prints PASS and exits 0 when examples.csv, the PNG and SVG plots and the PDFs (but for their
# creation time) are byte-identical and summary.json is identical but for time measurements.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="${1:-$(mktemp -d /tmp/logitscope-slurm.XXXXXX)}"
mkdir -p "$work"
tokenizer="${TOKENIZER_JSON:-$repo/../shared/gpt2-tokenizer/tokenizer.json}"
dataset="${DATASET:-$repo/../shared/datasets/sst2/stsa.binary.dev}"
py=/usr/bin/python3
[ "$(id -u)" -eq 0 ] || { echo "run as root (it installs slurm-wlm and munge and starts their daemons)" >&2; exit 1; }

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends slurm-wlm munge
fi

node="$(hostname -s)"
cpus="$(nproc)"
mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512 ))
conf="$work/slurm"
mkdir -p "$conf/state" "$conf/spool" "$conf/log" /run/munge
# munge: a key (kept if present), its daemon as the munge user
[ -s /etc/munge/munge.key ] || mungekey --create --keyfile=/etc/munge/munge.key
chown munge:munge /etc/munge/munge.key /run/munge
chmod 400 /etc/munge/munge.key
runuser -u munge -- /usr/sbin/munged --pid-file="/run/munge/test.pid"
pids=("$(cat /run/munge/test.pid)")

cat >"$conf/slurm.conf" <<CONF
ClusterName=logitscope-test
SlurmctldHost=$node
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=$conf/state
SlurmdSpoolDir=$conf/spool
SlurmctldPidFile=$conf/slurmctld.pid
SlurmdPidFile=$conf/slurmd.pid
SlurmctldLogFile=$conf/log/slurmctld.log
SlurmdLogFile=$conf/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
MpiDefault=none
ReturnToService=2
NodeName=$node CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$conf/slurm.conf"
cleanup() {
  scancel --user=root >/dev/null 2>&1 || true
  local stop=()
  for f in "$conf/slurmd.pid" "$conf/slurmctld.pid"; do
    [ -f "$f" ] && stop+=("$(cat "$f")")
  done
  stop+=("${pids[0]}")
  kill "${stop[@]}" 2>/dev/null || true
  for _ in $(seq 20); do # the daemons we started, and only those, are gone before we return
    kill -0 "${stop[@]}" 2>/dev/null || break
    sleep 0.5
  done
}
trap cleanup EXIT
/usr/sbin/slurmctld -f "$SLURM_CONF"
/usr/sbin/slurmd -f "$SLURM_CONF"
for _ in $(seq 60); do
  sinfo -h -o '%T' 2>/dev/null | grep -qx idle && break
  sleep 1
done
echo "== cluster"
sinfo
scontrol show node "$node" | grep -E 'CPUTot|RealMemory' | sed 's/^ */   /'

echo "== build and a tiny random model"
(cd "$repo" && mvn -q -B -o -DskipTests package >"$work/build.log" 2>&1) || { cat "$work/build.log" >&2; exit 1; }
"$py" "$here/tiny-model.py" "$work/tiny-small" "$tokenizer" --layers 2 --width 16 --seed 1 >/dev/null
"$py" "$here/tiny-model.py" "$work/tiny-larger" "$tokenizer" --layers 3 --width 32 --seed 2 >/dev/null
eval_args=(--models "$work/tiny-small,$work/tiny-larger" --dataset "$dataset" --limit 24 --shots 0,2
  --demo-labels correct,flipped --calibrate --batch 4 --block 8)
export LOGITSCOPE="$repo/logitscope" LOGITSCOPE_JAVA_OPTS="-Xmx1g" HF_HOME="$work/hf"

echo "== unsharded run"
start=$(date +%s)
"$LOGITSCOPE" eval "${eval_args[@]}" --out "$work/whole" >/dev/null 2>"$work/whole.log"
echo "   $(( $(date +%s) - start )) s"

echo "== 4-task array (sbatch --array=1-4, so task ids 1..4 are shards 0..3) and the merge after it"
export RUN_DIR="$work/runs"
start=$(date +%s)
array=$(sbatch --parsable --export=ALL --array=1-4 --cpus-per-task=1 --mem=1500M --chdir="$work" \
  "$here/logitscope-array.sbatch" "${eval_args[@]}")
merge=$(sbatch --parsable --export=ALL --cpus-per-task=1 --mem=1500M --chdir="$work" \
  --dependency="afterany:$array" --wait "$here/logitscope-merge.sbatch") || true
echo "   array $array, merge $merge: $(( $(date +%s) - start )) s"
# no accounting database here: the controller still knows the finished jobs for MinJobAge (300 s)
{ scontrol -o show job "$array"; scontrol -o show job "$merge"; } 2>/dev/null | awk '{ printf "  "; for (i = 1; i <= NF; i++)
  if ($i ~ /^(JobId|JobName|ArrayTaskId|JobState|ExitCode)=/) printf " %s", $i; print "" }' || true
for f in "$work"/logitscope-"$array"_*.out; do
  echo "   $(basename "$f"): $(grep -m1 '^shard ' "$f" || true)"
done
echo "   merge: $(tail -n 1 "$work/logitscope-merge-$merge.out")"

echo "== compare merged with unsharded"
status=0
for f in examples.csv accuracy_by_layer.png accuracy_vs_size.png accuracy_by_layer.svg accuracy_vs_size.svg; do
  if cmp -s "$work/whole/$f" "$RUN_DIR/merged/$f"; then echo "   same bytes: $f"; else echo "   DIFFERENT: $f"; status=1; fi
done
"$py" - "$work/whole" "$RUN_DIR/merged" <<'PY' || status=1
import json, re, sys
a, b = sys.argv[1], sys.argv[2]
def pdf(path):
    return re.sub(rb"/(CreationDate|ModDate) \(D:[^)]*\)", b"/DATE", open(path, "rb").read())
def summary(path):
    s = json.load(open(path))
    s.pop("run"); s.pop("examples_per_second")
    for m in s["models"]:
        m.pop("seconds"); m.pop("examples_per_second")
    return s
ok = True
for f in ["accuracy_by_layer.pdf", "accuracy_vs_size.pdf"]:
    same = pdf(f"{a}/{f}") == pdf(f"{b}/{f}")
    ok &= same
    print(f"   {'same bytes but the creation date' if same else 'DIFFERENT'}: {f}")
same = summary(f"{a}/summary.json") == summary(f"{b}/summary.json")
ok &= same
print(f"   {'same but the time measurements' if same else 'DIFFERENT'}: summary.json"
      f" ({len(json.load(open(f'{a}/summary.json'))['conditions'])} conditions,"
      f" complete={json.load(open(f'{b}/summary.json'))['complete']})")
sys.exit(0 if ok else 1)
PY
rows=$(($(wc -l <"$work/whole/examples.csv") - 1))
echo "   examples.csv rows: $rows"
if [ $status -eq 0 ]; then echo "PASS (work folder: $work)"; else echo "FAIL (work folder: $work)"; fi
exit $status
