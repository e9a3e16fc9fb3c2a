/**
 * {@code frameq analyze}: the no-reference chain of {@code run} on files and URLs without a broker.
 * {@link io.frameq.app.analyze.InProcessPipeline} opens what {@code run} opens (model, decoders,
 * metrics) and hands out {@code TopologyTestDriver}s of the very topology {@code run} builds;
 * {@link io.frameq.app.analyze.StreamAnalysis} pipes one source's frames through one driver and
 * gathers the scores, alerts and dead letters into the output files and a {@code StreamReport},
 * which {@code SummaryCsv} and {@code HtmlReport} turn into {@code summary.csv} and {@code report.html}.
 */
package io.frameq.app.analyze;
