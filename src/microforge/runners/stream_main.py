"""The C main() of a sanitizer run of a generated per-record function (a DSP block's window ->
features, an image block's frame -> pixels): fixed-size records from argv[1] through the
function, its results to argv[2]; exit 3/5 when a file cannot be opened, 4 when the function
fails. Built with runners.host.SANITIZER_FLAGS, so any finding aborts the run."""

from __future__ import annotations

_TEMPLATE = """/* sanitizer harness: {what} */
#include <stdio.h>
#include "{header}"

static {in_type} record_in[{in_count}];
static {out_type} record_out[{out_count}];

int main(int argc, char **argv) {{
    FILE *in, *out;
    if (argc != 3 || (in = fopen(argv[1], "rb")) == NULL) {{
        return 3;
    }}
    if ((out = fopen(argv[2], "wb")) == NULL) {{
        fclose(in);
        return 5;
    }}
    while (fread(record_in, sizeof(record_in), 1, in) == 1) {{
        if ({function}(record_in, record_out) != 0) {{
            return 4;
        }}
        fwrite(record_out, sizeof(record_out), 1, out);
    }}
    fclose(in);
    fclose(out);
    return 0;
}}
"""


def stream_main(header: str, function: str, in_type: str, in_count: str, out_type: str,
                out_count: str, what: str) -> str:
    """C text of the harness: `function(const in_type *, out_type *)` returns 0 on success;
    the counts are C expressions (macros of `header`)."""
    return _TEMPLATE.format(header=header, function=function, in_type=in_type,
                            in_count=in_count, out_type=out_type, out_count=out_count, what=what)
