/**
 * Request routing by method and path: {@link dev.gust.http.route.Router} with {@code :param} and
 * trailing {@code *} segments, matched in place into a reusable {@link dev.gust.http.route.RouteMatch}.
 */
package dev.gust.http.route;
