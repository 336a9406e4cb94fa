/**
 * The engine's web dashboard and Prometheus endpoint: not public API (users reach it through
 * {@code Rivulet.builder().dashboard(..)} and {@code Rivulet.dashboardUrl()}).
 *
 * <pre>
 *  StreamingQueryManager ──listener──► QueryTracker (active + recent queries)
 *                                          │
 *  runtime.QueryProbe ──► QueryFigures ◄───┤ read on the sampler thread (pages) or per scrape
 *                              │           │
 *            DashboardJson (SSE events)   PrometheusText (/metrics)     PlanGraph (plan JSON)
 *                              │
 *  DashboardServer: JDK HttpServer, 2 HTTP threads, 1 sampler thread writing every event stream
 *  page (resources here: index.html, dashboard.js, dashboard.css) + uPlot from its WebJar
 * </pre>
 *
 * <p>Nothing here runs on a query's threads: the runtime keeps its counters anyway, and the sampler
 * reads them with volatile reads while a page is open. See {@code docs/dashboard.md}.
 */
package io.rivulet.engine.internal.dashboard;
