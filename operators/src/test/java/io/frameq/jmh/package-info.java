/**
 * JMH microbenchmarks (decode, pre-processing). They live in the test sources so that the JMH
 * annotation processor runs at test-compile time without a second module or plugin; surefire does
 * not pick them up (no {@code *Test} names) and nothing runs them during {@code mvn verify}. How to
 * run them: BENCHMARKS.md, section "JMH microbenchmarks".
 */
package io.frameq.jmh;
