#ifndef BERTH_TEST_TESTS_H
#define BERTH_TEST_TESTS_H

#include <stdio.h>

#include "harness.h"

enum { FAIL = 0, PASS = 1, SKIPPED = -1 };

/* Why the running test failed or was skipped. */
extern char why[2048];

#define EXPECT(cond, ...)                                                                                             \
    do {                                                                                                              \
        if (!(cond)) {                                                                                                \
            snprintf(why, sizeof why, __VA_ARGS__);                                                                   \
            return FAIL;                                                                                              \
        }                                                                                                             \
    } while (0)
#define SKIP(...)                                                                                                     \
    do {                                                                                                              \
        snprintf(why, sizeof why, __VA_ARGS__);                                                                       \
        return SKIPPED;                                                                                               \
    } while (0)

struct test {
    const char *name;
    int (*fn)(void);
};

extern const struct test protocol_tests[];
extern const struct test create_tests[];

#endif
