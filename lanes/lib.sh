# lanes/lib.sh: scenarios for the client lanes. A scenario is a shell function; it passes when it
# returns 0. Its output goes to $LANE_WORK/NAME.log and is shown when it fails.
set -uo pipefail

lane_passed=0 lane_failed=0 lane_skipped=0

# scenario NAME FUNCTION [ARGS...]
scenario() {
    local name=$1; shift
    local log="$LANE_WORK/$name.log"
    rm -f "$LANE_WORK/skip"
    if "$@" >"$log" 2>&1; then
        echo "PASS $LANE_NAME/$LANE_RUNTIME_NAME: $name"
        lane_passed=$((lane_passed + 1))
    elif [ -f "$LANE_WORK/skip" ]; then
        echo "SKIP $LANE_NAME/$LANE_RUNTIME_NAME: $name ($(cat "$LANE_WORK/skip"))"
        lane_skipped=$((lane_skipped + 1))
    else
        echo "FAIL $LANE_NAME/$LANE_RUNTIME_NAME: $name"
        sed 's/^/    /' "$log" | tail -n 25
        lane_failed=$((lane_failed + 1))
    fi
}

# skip WHY: inside a scenario, marks it skipped (for a host that cannot run it) and returns 1.
skip() {
    echo "$*" > "$LANE_WORK/skip"
    return 1
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
    if [ "$2" != "$3" ]; then
        echo "expected $1 to be [$2], was [$3]"
        return 1
    fi
}

# expect_in WHAT NEEDLE HAYSTACK
expect_in() {
    case "$3" in
        *"$2"*) return 0 ;;
    esac
    echo "expected $1 to contain [$2], was [$3]"
    return 1
}

lane_summary() {
    echo "$LANE_NAME/$LANE_RUNTIME_NAME: $lane_passed passed, $lane_failed failed, $lane_skipped skipped"
    [ "$lane_failed" -eq 0 ]
}
