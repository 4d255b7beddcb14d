/* mf_functions.h: instructions per guest function for the instruction counter (mf_icount.c,
 * functions=<file>): the function of every translated block is looked up once by its start
 * address in the sorted ranges read from the file (one "start end" hex pair per line, in the
 * order the caller numbers the functions), and the block adds its instruction count to that
 * function's counter inline. */
#ifndef MF_FUNCTIONS_H
#define MF_FUNCTIONS_H

#include <stddef.h>
#include <stdint.h>

#define MF_FUNCTIONS_MAX 4096
#define MF_FUNCTION_NONE MF_FUNCTIONS_MAX /* counter of blocks outside every range */

/* Reads the ranges; 0 on success, -1 when the file cannot be read or is malformed. */
int mf_functions_load(const char *path);

/* Number of functions loaded (0 when the option is not used). */
size_t mf_functions_count(void);

/* Index of the function containing `address`, or MF_FUNCTION_NONE. */
size_t mf_function_of(uint64_t address);

#endif /* MF_FUNCTIONS_H */
