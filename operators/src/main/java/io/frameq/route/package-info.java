/**
 * Routing of degraded frames: which restorer a degradation type goes to ({@link io.frameq.route.RoutePolicy})
 * and how much of a stream restoration may take ({@link io.frameq.route.RestoreBudget}). No Kafka, no models.
 *
 * <p>May depend on {@code detect} (degradation types) only.
 */
package io.frameq.route;
