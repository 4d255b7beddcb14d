/* Minimal Arduino.h for tests: just what the generated sketch uses (Serial, millis, micros,
 * delay), printing to stdout. Not the Arduino core. */
#ifndef MF_TEST_ARDUINO_H
#define MF_TEST_ARDUINO_H

#include <stdio.h>

unsigned long millis(void);
unsigned long micros(void);
void delay(unsigned long ms);

class StubSerial {
public:
    void begin(unsigned long baud) { (void)baud; }
    operator bool() const { return true; }
    void print(const char *text) { fputs(text, stdout); }
    void print(int value) { printf("%d", value); }
    void print(unsigned long value) { printf("%lu", value); }
    void println(const char *text) { puts(text); }
    void println(int value) { printf("%d\n", value); }
    void println(unsigned long value) { printf("%lu\n", value); }
};

extern StubSerial Serial;

#endif
