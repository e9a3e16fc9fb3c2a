/**
 * The subcommands that work on files or configuration: {@code run}, {@code score}, {@code restore},
 * {@code models}, {@code config}. May depend on {@code runtime}, {@code config} and the operators' domain
 * packages (they score and restore images without Kafka); never on {@code demo} or {@code bench}.
 */
package io.frameq.app.cli;
