// libFuzzer's driver, from the toolchain's libclang_rt.fuzzer. Calling it from our own `main` lets
// SwiftPM keep its usual entry point for executables (it links `main` to `<Module>_main` on Linux, so
// libFuzzer's own `main` cannot be used).
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
