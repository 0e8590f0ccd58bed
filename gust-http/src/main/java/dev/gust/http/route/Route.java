package dev.gust.http.route;

import java.util.List;

/** One registered route: its handler, its pattern, its parameter names in order, and whether it ends in {@code *}. */
record Route<H>(H handler, String pattern, List<String> paramNames, boolean wildcard) {}
