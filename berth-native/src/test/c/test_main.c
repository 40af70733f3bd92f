#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>

#include "tests.h"

char why[2048];

static void run(const struct test *tests, int *passed, int *failed, int *skipped) {
    for (const struct test *t = tests; t->name; t++) {
        why[0] = 0;
        int r = t->fn();
        if (r == PASS) printf("ok    %s\n", t->name);
        else if (r == SKIPPED) printf("skip  %s: %s\n", t->name, why);
        else printf("FAIL  %s: %s\n", t->name, why);
        fflush(stdout);
        *(r == PASS ? passed : r == SKIPPED ? skipped : failed) += 1;
    }
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s path/to/berth-init\n", argv[0]);
        return 2;
    }
    helper_path = argv[1];
    /* The container's init is orphaned when stage 0 exits; we reap it. */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    signal(SIGPIPE, SIG_IGN);
    int passed = 0, failed = 0, skipped = 0;
    run(protocol_tests, &passed, &failed, &skipped);
    run(create_tests, &passed, &failed, &skipped);
    printf("%d passed, %d failed", passed, failed);
    if (skipped) printf(" (%d skipped)", skipped);
    printf("\n");
    return failed ? 1 : 0;
}
