# Varnish 7 in front of the encyclopedia's gunicorn (Debian: apt-get install varnish varnish-modules; the
# second gives the xkey module). The README's deployment section shows where it stands; tests/test_edge.py
# starts this very file with only the backend's .host and .port and the purgers ACL changed, which is all
# an operator changes.
#
# What it keeps: only the pages the application marks as shareable, which carry their page-cache tags in
# an `xkey` header (encyclopedia/page_cache.py), for as long as their Cache-Control s-maxage says. Every
# change purges its tags here (`PURGE` with an `xkey` header, sent by the application after the change
# commits), so a page changes on the next request after an edit of anything it shows. Everything else
# (admin, feedback, search, the API, anyone signed in) goes to the application as it came.

vcl 4.1;

import std;
import xkey;

# The application: gunicorn's BIND_ADDRESS and PORT.
backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    # A little longer than GUNICORN_TIMEOUT (30 s): gunicorn restarts a stuck worker first.
    .first_byte_timeout = 35s;
    .between_bytes_timeout = 10s;
}

# Who may purge: the machines the application runs on (each sends its changes' purges to every Varnish).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    # Marks of ours, used across restarts below: never a client's.
    if (req.restarts == 0) {
        unset req.http.X-Edge-Failed;
        unset req.http.X-Edge-Refresh;
        unset req.http.X-Edge-Pass;
    }
    unset req.http.X-Edge-Key;

    if (req.method == "PURGE") {
        # From a purger's own address, not forwarded by a proxy on the same machine (nginx in front
        # would be in the ACL too, but X-Forwarded-For would then name the client before it).
        if (client.ip !~ purgers || req.http.X-Forwarded-For ~ ",") {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey) {
            return (synth(400, "No xkey header"));
        }
        return (synth(200, "Purged " + xkey.purge(req.http.xkey)));
    }

    # The site did not answer and no stale copy was kept (vcl_synth): its 503 page, kept from earlier.
    if (req.http.X-Edge-Failed == "outage-page") {
        set req.method = "GET";
        set req.url = "/unavailable";
        set req.http.X-Edge-Key = req.url;
        unset req.http.Cookie;
        unset req.http.Authorization;
        return (hash);
    }

    # Feedback and admin forms, the API's writes: to the application, as they came.
    if (req.method != "GET" && req.method != "HEAD") {
        set req.http.X-Edge-Pass = "1";
        return (pass);
    }
    # Someone signed in (an editor): never a shared page, nor one stored for others.
    if (req.http.Cookie ~ "(^|;\s*)sessionid=" || req.http.Authorization) {
        set req.http.X-Edge-Pass = "1";
        return (pass);
    }
    # A reader: the pages are the same for everyone, whatever other cookies say.
    unset req.http.Cookie;

    # The key of a page: its path, and the query parameters its view reads, in alphabetical order (the
    # last value of each, as Django reads it). Any other parameter (?utm_source=...) is left out of the
    # key, so it makes no entry of its own; the application is still sent the address as asked. These
    # lists are the application's `cached_page(query=...)` (encyclopedia/views.py), which
    # tests/test_edge_cache.py checks they stay.
    set req.http.X-Edge-Key = regsub(req.url, "[?#].*$", "");
    if (req.http.X-Edge-Key ~ "^/(conditions|symptoms|procedures)/$") {
        if (req.url ~ "[?&]letter=") {
            set req.http.X-Edge-Key = req.http.X-Edge-Key + "&" + regsub(req.url, "^.*[?&](letter=[^&#]*).*$", "\1");
        }
        if (req.url ~ "[?&]page=") {
            set req.http.X-Edge-Key = req.http.X-Edge-Key + "&" + regsub(req.url, "^.*[?&](page=[^&#]*).*$", "\1");
        }
    } elsif (req.http.X-Edge-Key ~ "^/sitemap-[^/]+\.xml$") {
        if (req.url ~ "[?&]p=") {
            set req.http.X-Edge-Key = req.http.X-Edge-Key + "&" + regsub(req.url, "^.*[?&](p=[^&#]*).*$", "\1");
        }
    }

    # A page past its stale-while-revalidate is fetched afresh (vcl_hit), unless the site did not answer:
    # then a stale copy is served for as long as its stale-if-error says.
    # (req.grace outlives a restart: it is set either way.)
    if (req.http.X-Edge-Failed) {
        set req.grace = 3650d;
    } elsif (req.http.X-Edge-Refresh) {
        set req.grace = 0s;
    }
    return (hash);
}

sub vcl_hash {
    hash_data(req.http.X-Edge-Key);
    if (req.http.Host) {
        hash_data(req.http.Host);
    } else {
        hash_data(server.ip);
    }
    # Pages hold absolute addresses: https and http ones are different pages.
    hash_data(req.http.X-Forwarded-Proto);
    return (lookup);
}

sub vcl_hit {
    if (obj.ttl + std.duration(obj.http.X-Edge-SWR + "s", 0s) < 0s && !req.http.X-Edge-Failed) {
        set req.http.X-Edge-Refresh = "1";
        return (restart);
    }
}

sub vcl_backend_fetch {
    unset bereq.http.X-Edge-Key;
    unset bereq.http.X-Edge-Refresh;
    unset bereq.http.X-Edge-Failed;
    unset bereq.http.X-Edge-Pass;
}

sub vcl_backend_response {
    if (bereq.url == "/unavailable") {
        # The site's 503 page, kept for when it does not answer at all, refreshed every hour.
        set beresp.ttl = 1h;
        set beresp.grace = 365d;
        unset beresp.http.Set-Cookie;
        return (deliver);
    }
    if (beresp.status >= 500) {
        # Refreshing a page in the background: the copy kept stays. Otherwise delivered, never kept (nor
        # remembered as a page not to keep, which would hide the copy kept for an outage).
        if (bereq.is_bgfetch) {
            return (abandon);
        }
        set beresp.ttl = 0s;
        set beresp.grace = 0s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    if (!beresp.http.xkey || beresp.http.Set-Cookie) {
        # Not a page the application shares: fetched for each request (and remembered so for a while,
        # so that requests for it do not wait for one another).
        set beresp.uncacheable = true;
        set beresp.ttl = 30s;
        return (deliver);
    }
    # Varnish takes s-maxage as the page's lifetime. Its stale-while-revalidate is remembered for
    # vcl_hit; its stale-if-error becomes the grace, how long a stale copy is kept for an outage.
    set beresp.http.X-Edge-SWR = "0";
    if (beresp.http.Cache-Control ~ "stale-while-revalidate=[0-9]+") {
        set beresp.http.X-Edge-SWR = regsub(beresp.http.Cache-Control, "^.*stale-while-revalidate=([0-9]+).*$", "\1");
    }
    set beresp.grace = 0s;
    if (beresp.http.Cache-Control ~ "stale-if-error=[0-9]+") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Cache-Control, "^.*stale-if-error=([0-9]+).*$", "\1") + "s", 0s);
    }
}

sub vcl_backend_error {
    # The site did not answer. Nothing is kept of this attempt, so that the copy kept hides nowhere, and
    # the request goes on in vcl_synth, which looks for a stale copy, then for the kept 503 page.
    return (abandon);
}

sub vcl_deliver {
    if (req.http.X-Edge-Failed == "outage-page") {
        set resp.status = 503;
    }
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    unset resp.http.xkey;
    unset resp.http.X-Edge-SWR;
    unset resp.http.Via;
    unset resp.http.X-Varnish;
}

sub vcl_synth {
    # The site did not answer (vcl_backend_error): a stale copy if one is kept (not for a form sent, which
    # is not a page), else the 503 page kept, else this short answer.
    if (resp.status == 503 && req.http.X-Edge-Failed != "outage-page") {
        if (!req.http.X-Edge-Failed && !req.http.X-Edge-Pass) {
            set req.http.X-Edge-Failed = "stale";
        } else {
            set req.http.X-Edge-Failed = "outage-page";
        }
        return (restart);
    }
    set resp.http.X-Cache = "MISS";
    set resp.http.Content-Type = "text/plain; charset=utf-8";
    if (resp.status == 503) {
        set resp.http.Retry-After = "30";
        set resp.http.Cache-Control = "no-store";
    }
    synthetic(resp.reason + {"
"});
    return (deliver);
}
