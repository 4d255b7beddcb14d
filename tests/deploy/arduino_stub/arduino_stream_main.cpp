/* Test runner for a streaming sketch: setup(), then loop() MF_TEST_LOOPS times with a clock
 * that advances one second per micros() call (so every loop() takes one sample). */
#include "Arduino.h"

#ifndef MF_TEST_LOOPS
#define MF_TEST_LOOPS 1000
#endif

StubSerial Serial;

static unsigned long now_us;

unsigned long millis(void) { return now_us / 1000UL; }
unsigned long micros(void) {
    now_us += 1000000UL;
    return now_us;
}
void delay(unsigned long ms) { now_us += ms * 1000UL; }

void setup(void);
void loop(void);

int main(void) {
    int i;
    setup();
    for (i = 0; i < MF_TEST_LOOPS; ++i) {
        loop();
    }
    return 0;
}
