/* Every harness defines this; libFuzzer or tests/fuzz/replay_main.c calls it. */
#ifndef OPENPPTP_FUZZ_H
#define OPENPPTP_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
