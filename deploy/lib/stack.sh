# stack.sh — start and stop a private Community Links stack: PostgreSQL
# (as the unprivileged postgres user, in a directory of its own, on its own
# port), linksd (as the unprivileged links user) and nginx on loopback.
# Sourced by deploy/demo, tests/run and the integration and bench tests.
#
# Every function works on $LINKS_RUN (the run directory) and stops only the
# processes it started, by the pids it recorded there.

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
LINKS_USER=${LINKS_USER:-links}
LINKS_WEB_GROUP=${LINKS_WEB_GROUP:-www-data}

links_log() { printf '[stack] %s\n' "$*" >&2; }

# links_ensure_user: the system account linksd runs as, in nginx's group
# so the FastCGI socket can be shared with nginx and nobody else.
links_ensure_user() {
    id "$LINKS_USER" >/dev/null 2>&1 ||
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$LINKS_USER"
    id -nG "$LINKS_USER" | grep -qw "$LINKS_WEB_GROUP" || usermod -aG "$LINKS_WEB_GROUP" "$LINKS_USER"
}

# links_run_dir DIR: prepare the run directory layout.
links_run_dir() {
    LINKS_RUN=$1
    mkdir -p "$LINKS_RUN"
    chmod 755 "$LINKS_RUN"
    mkdir -p "$LINKS_RUN/pg" "$LINKS_RUN/pglog" "$LINKS_RUN/pgsock" "$LINKS_RUN/linksd" "$LINKS_RUN/nginx" "$LINKS_RUN/plugins"
    chown postgres:postgres "$LINKS_RUN/pg" "$LINKS_RUN/pglog" "$LINKS_RUN/pgsock"
    chmod 700 "$LINKS_RUN/pg"
    chmod 755 "$LINKS_RUN/pgsock"
    chown "$LINKS_USER:$LINKS_WEB_GROUP" "$LINKS_RUN/linksd"
    chmod 750 "$LINKS_RUN/linksd"
    export LINKS_RUN
}

# links_free_port START: the first free loopback TCP port from START.
links_free_port() {
    local port=$1
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    echo "$port"
}

pg_as() { runuser -u postgres -- "$@"; }

# links_pg_start PORT: a new cluster, roles links_owner (owns the schema,
# BYPASSRLS for bulk loads) and links_app (the runtime role), database links.
links_pg_start() {
    LINKS_PG_PORT=$1
    export LINKS_PG_PORT
    if [ ! -f "$LINKS_RUN/pg/PG_VERSION" ]; then
        pg_as "$PG_BIN/initdb" -D "$LINKS_RUN/pg" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$LINKS_RUN/initdb.log" 2>&1 ||
            { cat "$LINKS_RUN/initdb.log" >&2; return 1; }
        cat >>"$LINKS_RUN/pg/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$LINKS_RUN/pgsock'
port = $LINKS_PG_PORT
max_connections = 200
shared_buffers = 256MB
fsync = on
log_min_messages = warning
log_line_prefix = '%m [%p] '
CONF
    fi
    links_pg_ctl start || return 1
    local created
    created=$(links_psql postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'links_owner'")
    if [ "$created" != 1 ]; then
        links_psql postgres -q -v ON_ERROR_STOP=1 <<SQL || return 1
CREATE ROLE links_owner LOGIN BYPASSRLS;
CREATE ROLE links_app LOGIN;
CREATE DATABASE links OWNER links_owner;
SQL
        links_psql links -q -c "REVOKE CREATE ON SCHEMA public FROM PUBLIC; ALTER SCHEMA public OWNER TO links_owner;" || return 1
    fi
}

links_pg_ctl() {
    pg_as "$PG_BIN/pg_ctl" -D "$LINKS_RUN/pg" -l "$LINKS_RUN/pglog/postgresql.log" -w -t 60 "$@" >/dev/null
}

links_pg_stop() {
    if [ -f "$LINKS_RUN/pg/postmaster.pid" ]; then
        links_pg_ctl stop -m fast || true
    fi
    return 0
}

# links_port_free PORT: is nothing listening on loopback PORT?
links_port_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# links_psql DB [psql args]: as the superuser.
links_psql() {
    local db=$1
    shift
    pg_as psql -X -h "$LINKS_RUN/pgsock" -p "$LINKS_PG_PORT" -U postgres -d "$db" "$@"
}

links_conninfo() { echo "host=$LINKS_RUN/pgsock port=$LINKS_PG_PORT dbname=links user=$1"; }

# links_link_plugins BUILD_DIR: the plugin directory linksd loads from.
links_link_plugins() {
    local build=$1 p
    for p in glasgow fife; do
        ln -sf "$build/plugins/$p/.libs/$p.so" "$LINKS_RUN/plugins/$p.so"
    done
}

# links_write_config SRC_DIR [workers] [threads]: linksd.conf for this run,
# the example configuration with this run's socket, database and plugins.
links_write_config() {
    local src=$1 workers=${2:-2} threads=${3:-4}
    sed -e "s|^listen = .*|listen = \"unix:$LINKS_RUN/linksd/linksd.sock\";|" \
        -e "s|^socket_group = .*|socket_group = \"$LINKS_WEB_GROUP\";|" \
        -e "s|^workers = .*|workers = $workers;|" \
        -e "s|^threads = .*|threads = $threads;|" \
        -e "s|^  conninfo = .*|  conninfo = \"$(links_conninfo links_app)\";|" \
        -e "s|^  admin_conninfo = .*|  admin_conninfo = \"$(links_conninfo links_owner)\";|" \
        -e "s|^plugin_dir = .*|plugin_dir = \"$LINKS_RUN/plugins\";|" \
        "$src/conf/linksd.conf.example" >"$LINKS_RUN/linksd.conf"
    chmod 644 "$LINKS_RUN/linksd.conf"
}

# links_linksd_start LINKSD_BINARY: start as the links user, wait for the socket.
links_linksd_start() {
    local bin=$1 i
    rm -f "$LINKS_RUN/linksd/linksd.pid"
    runuser -u "$LINKS_USER" -- "$bin" -c "$LINKS_RUN/linksd.conf" -p "$LINKS_RUN/linksd/linksd.pid" \
        >>"$LINKS_RUN/linksd.log" 2>&1 &
    for i in $(seq 1 100); do
        [ -S "$LINKS_RUN/linksd/linksd.sock" ] && [ -s "$LINKS_RUN/linksd/linksd.pid" ] && return 0
        sleep 0.1
    done
    links_log "linksd did not start; its log:"
    tail -20 "$LINKS_RUN/linksd.log" >&2
    return 1
}

links_linksd_pid() { cat "$LINKS_RUN/linksd/linksd.pid" 2>/dev/null; }

# links_stop_pid PIDFILE GENTLE SECONDS FORCE: send GENTLE, wait up to
# SECONDS for the process to go, then send FORCE. A missing or empty pid
# file (a start that failed half way) is not an error.
links_stop_pid() {
    local pid i
    pid=$(cat "$1" 2>/dev/null) || return 0
    [ -n "$pid" ] || return 0
    kill "-$2" "$pid" 2>/dev/null || return 0
    for i in $(seq 1 $(($3 * 10))); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill "-$4" "$pid" 2>/dev/null
    return 0
}

links_linksd_stop() { links_stop_pid "$LINKS_RUN/linksd/linksd.pid" TERM 10 KILL; }

# links_nginx_start SRC_DIR HTTP_PORT [WEB_ROOT]: HTTP on HTTP_PORT and
# HTTPS (a self-signed certificate made now) on LINKS_TLS_PORT (default: the
# first free port from HTTP_PORT + 363).
links_nginx_start() {
    local src=$1 port=$2 web=${3:-$1/web/dist}
    LINKS_HTTP_PORT=$port
    LINKS_TLS_PORT=${LINKS_TLS_PORT:-$(links_free_port $((port + 363)))}
    export LINKS_HTTP_PORT LINKS_TLS_PORT
    mkdir -p "$LINKS_RUN/nginx/static"
    printf '{"status":"ok","note":"static file for benchmarks"}\n' >"$LINKS_RUN/nginx/static/ping.json"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
        -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
        -keyout "$LINKS_RUN/nginx/tls.key" -out "$LINKS_RUN/nginx/tls.crt" 2>/dev/null || return 1
    local f
    for f in nginx.conf.in:nginx.conf links-app.conf:links-app.conf problems.conf:problems.conf; do
        sed -e "s|@RUN@|$LINKS_RUN|g" -e "s|@SRC@|$src|g" -e "s|@PORT@|$port|g" -e "s|@WEB@|$web|g" \
            -e "s|@TLS_PORT@|$LINKS_TLS_PORT|g" \
            -e "s|@SOCKET@|$LINKS_RUN/linksd/linksd.sock|g" -e "s|@USER@|$LINKS_WEB_GROUP|g" \
            "$src/deploy/nginx/${f%%:*}" >"$LINKS_RUN/nginx/${f##*:}"
    done
    nginx -t -q -c "$LINKS_RUN/nginx/nginx.conf" -p "$LINKS_RUN/nginx" || return 1
    nginx -c "$LINKS_RUN/nginx/nginx.conf" -p "$LINKS_RUN/nginx" || return 1
    local i
    for i in $(seq 1 50); do
        curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && return 0
        sleep 0.1
    done
    links_log "nginx is not answering on $port"
    return 1
}

# links_build_web SRC_DIR: the staff front end, from web/ into web/dist
# (npm packages pinned by web/package-lock.json).
links_build_web() {
    local src=$1
    (cd "$src/web" && npm ci --no-audit --no-fund --loglevel=error && node build.mjs) || {
        links_log "the web front end did not build"
        return 1
    }
}

links_nginx_stop() { links_stop_pid "$LINKS_RUN/nginx/nginx.pid" QUIT 5 TERM; }

links_stack_stop() {
    links_nginx_stop
    links_linksd_stop
    links_pg_stop
}
