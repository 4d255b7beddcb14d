/* Test runner for a sketch: the Arduino core's main() reduced to setup() and one loop(). */
#include "Arduino.h"

StubSerial Serial;

unsigned long millis(void) { return 0; }
unsigned long micros(void) { return 0; }
void delay(unsigned long ms) { (void)ms; }

void setup(void);
void loop(void);

int main(void) {
    setup();
    loop();
    return 0;
}
