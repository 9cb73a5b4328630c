#!/usr/bin/python3
"""End-to-end test of the real `paritydeck` control panel, driven over AT-SPI.

It does what a screen-reader or keyboard user does: it finds widgets by the names an
assistive technology announces (accessible names, visible texts, window titles), never by
Qt objectName, and it presses buttons and types text through the accessibility bus.

Scenario (two real PostgreSQL clusters, a workspace written here):
  1. dev is stopped: press "Start dev services", wait until dev's status reads "Up".
  2. press "Compare the schema of dev" (Diff…), pick "prod" as To, Compare; the review
     window lists the change (prod's hand-made column) and generated SQL; both DDL panes
     are read line for line; Swap. Then prod's drift badge (found without a click) opens
     the drift review with both remedies; selecting the column shows its DDL aligned.
  3. dev: "Apply migrations to dev", Apply; the result says 0002 was applied, with its
     time, and the card reads "up to date".
  4. prod is protected: its migration dialog names its target (user@host:port/db,
     protection); Apply stays disabled until "prod" is typed in the confirmation field;
     then Apply, and prod reads "up to date" too.
  5. Parity opens from the toolbar and Esc closes it.
Afterwards the databases are checked directly (psql) so the GUI's word is not the only one.

Needs: a display (Xvfb), a D-Bus session bus, python3-gi + gir1.2-atspi-2.0, at-spi2-core,
PostgreSQL server binaries. Exits 77 (skipped) when the display, the session bus or the
AT-SPI bindings are missing; any other failure exits 1 naming what was not found.
Usage: gui_a11y_e2e.py PATH/TO/paritydeck
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import warnings

SKIP = 77
T0 = time.monotonic()


def log(message):
    print(f"e2e [{time.monotonic() - T0:6.1f}s] {message}", flush=True)


class Failure(Exception):
    pass


def skip(reason):
    print(f"e2e: SKIPPED: {reason}", flush=True)
    sys.exit(SKIP)


# --------------------------------------------------------------------------- prerequisites
if len(sys.argv) != 2:
    print(__doc__.strip().splitlines()[-1], file=sys.stderr)
    sys.exit(2)
BINARY = os.path.abspath(sys.argv[1])
if not os.access(BINARY, os.X_OK):
    print(f"e2e: {BINARY} is not an executable", file=sys.stderr)
    sys.exit(2)
if not os.environ.get("DISPLAY"):
    skip("no DISPLAY: run under xvfb-run (scripts/test does)")
if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
    skip("no D-Bus session bus: run under dbus-run-session (scripts/test does)")
try:
    import gi

    gi.require_version("Atspi", "2.0")
    gi.require_version("Gio", "2.0")
    from gi.repository import Atspi, Gio, GLib
except (ImportError, ValueError) as error:
    skip(f"AT-SPI bindings missing ({error}): apt-get install python3-gi gir1.2-atspi-2.0 at-spi2-core")

IS_ROOT = os.geteuid() == 0


def pg_bindir():
    candidates = []
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        candidates.append(out.stdout.strip())
    base = "/usr/lib/postgresql"
    if os.path.isdir(base):
        versions = sorted((v for v in os.listdir(base) if v.isdigit()), key=int, reverse=True)
        candidates += [f"{base}/{v}/bin" for v in versions]
    for c in candidates:
        if c and os.access(os.path.join(c, "initdb"), os.X_OK) and os.access(os.path.join(c, "postgres"), os.X_OK):
            return c
    raise Failure("PostgreSQL server binaries (initdb, postgres) not found")


# --------------------------------------------------------------------------- PostgreSQL
def as_postgres(argv):
    """argv run as the postgres user when we are root (PostgreSQL refuses root)."""
    return ["runuser", "-u", "postgres", "--"] + argv if IS_ROOT else argv


def run(argv, what, timeout=60, input_text=None, env=None, cwd="/"):
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, input=input_text, env=env, cwd=cwd)
    except subprocess.TimeoutExpired:
        raise Failure(f"{what}: timed out after {timeout} s")
    if proc.returncode != 0:
        raise Failure(f"{what}: exit {proc.returncode}\n{proc.stdout}{proc.stderr}")
    return proc.stdout


def free_port(taken):
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in taken:
            return port


class Cluster:
    def __init__(self, name, root, bindir, port):
        self.name, self.bindir, self.port = name, bindir, port
        self.dir = os.path.join(root, name)
        self.data = os.path.join(self.dir, "data")
        self.sockets = os.path.join(self.dir, "run")
        self.log = os.path.join(self.dir, "server.log")
        self.password = os.urandom(12).hex()

    def ctl(self, *args):
        return as_postgres([os.path.join(self.bindir, "pg_ctl"), "-D", self.data] + list(args))

    def init(self):
        os.makedirs(self.sockets)
        if IS_ROOT:
            shutil.chown(self.dir, "postgres", "postgres")
            shutil.chown(self.sockets, "postgres", "postgres")
        run(as_postgres([os.path.join(self.bindir, "initdb"), "-D", self.data, "-U", "postgres", "-A", "trust",
                         "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"]),
            f"initdb for {self.name}")
        conf = textwrap.dedent(f"""
            # ParityDeck e2e test: throwaway, speed over durability.
            listen_addresses = '127.0.0.1'
            port = {self.port}
            unix_socket_directories = '{self.sockets}'
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            shared_buffers = 16MB
            max_connections = 30
            password_encryption = scram-sha-256
            """)
        hba = ("local all postgres trust\n"
               "host all all 127.0.0.1/32 scram-sha-256\n")
        run(as_postgres(["sh", "-c", 'cat >> "$1/postgresql.conf"', "sh", self.data]), "postgresql.conf",
            input_text=conf)
        run(as_postgres(["sh", "-c", 'cat > "$1/pg_hba.conf"', "sh", self.data]), "pg_hba.conf", input_text=hba)

    def start(self):
        run(self.ctl("-l", self.log, "-w", "-t", "30", "start"), f"starting the {self.name} cluster")

    def stop(self, mode="fast"):
        # "immediate" is a crash: with synchronous_commit off, recent commits would be lost.
        subprocess.run(self.ctl("-m", mode, "-w", "-t", "20", "stop"), capture_output=True, cwd="/",
                       timeout=30)

    def running(self):
        return subprocess.run(self.ctl("status"), capture_output=True, cwd="/").returncode == 0

    def psql(self, sql, db="app"):
        """Superuser psql over the Unix socket; returns unaligned tuples-only output."""
        return run(as_postgres([os.path.join(self.bindir, "psql"), "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1",
                                "-h", self.sockets, "-p", str(self.port), "-U", "postgres", "-d", db]),
                   f"psql on {self.name}", input_text=sql)


# --------------------------------------------------------------------------- workspace
MIGRATION_1 = """\
-- Shows of the e2e podcast.
CREATE TABLE shows (
    id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug  text NOT NULL UNIQUE,
    title text NOT NULL
);
"""
MIGRATION_2 = """\
-- Episodes belong to a show.
CREATE TABLE episodes (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    show_id bigint NOT NULL REFERENCES shows (id) ON DELETE CASCADE,
    title   text NOT NULL
);
"""


def write_workspace(ws, clusters, bindir):
    os.makedirs(os.path.join(ws, "migrations"))
    os.makedirs(os.path.join(ws, "bin"))
    with open(os.path.join(ws, "migrations", "0001_create_shows.sql"), "w") as f:
        f.write(MIGRATION_1)
    with open(os.path.join(ws, "migrations", "0002_create_episodes.sql"), "w") as f:
        f.write(MIGRATION_2)
    # The postgres service of an environment: what a team's own script would do.
    runas = 'runuser -u postgres -- ' if IS_ROOT else ''
    lines = ["#!/bin/sh", "# start|stop|status ENV: the e2e test's PostgreSQL servers.", "set -e", "cd /",
             'case "$2" in']
    for c in clusters.values():
        lines.append(f"  {c.name}) data='{c.data}'; logf='{c.log}' ;;")
    lines += ['  *) echo "unknown environment $2" >&2; exit 2 ;;', "esac",
              'case "$1" in',
              f"  start) {runas}'{bindir}/pg_ctl' -D \"$data\" -l \"$logf\" -w -t 30 start >/dev/null ;;",
              f"  stop) {runas}'{bindir}/pg_ctl' -D \"$data\" -m fast -w -t 30 stop >/dev/null ;;",
              f"  status) {runas}'{bindir}/pg_ctl' -D \"$data\" status >/dev/null ;;",
              '  *) exit 2 ;;', "esac", ""]
    script = os.path.join(ws, "bin", "cluster")
    with open(script, "w") as f:
        f.write("\n".join(lines))
    os.chmod(script, 0o755)

    def env_block(c, protection):
        lines = [f"  {c.name}:"]
        if protection:
            lines.append(f"    protection: {protection}")
        lines += [
            "    database:",
            f"      url: postgresql://app@127.0.0.1:{c.port}/app",
            f"      password: env:PD_E2E_{c.name.upper()}_PASSWORD",
            "      connect_timeout: 3",
            "    services:",
            "      - name: postgres",
            f"        start: bin/cluster start {c.name}",
            f"        stop: bin/cluster stop {c.name}",
            f"        status: bin/cluster status {c.name}",
            "        health: { postgres: true }",
        ]
        return "\n".join(lines) + "\n"

    yaml = ("# Written by tests/e2e/gui_a11y_e2e.py\n"
            "version: 1\nproject: e2e\nrefresh_interval: 1\n"
            "migrations: { dir: migrations, format: paritydeck }\n"
            "environments:\n"
            + env_block(clusters["dev"], None)
            + env_block(clusters["prod"], "confirm"))
    with open(os.path.join(ws, "paritydeck.yaml"), "w") as f:
        f.write(yaml)


# --------------------------------------------------------------------------- AT-SPI helpers
def states_of(acc):
    try:
        return acc.get_state_set()
    except Exception:
        return None


def is_showing(acc):
    s = states_of(acc)
    return s is not None and s.contains(Atspi.StateType.SHOWING) and s.contains(Atspi.StateType.VISIBLE)


def is_enabled(acc):
    s = states_of(acc)
    return s is not None and s.contains(Atspi.StateType.ENABLED) and s.contains(Atspi.StateType.SENSITIVE)


def name_of(acc):
    try:
        return acc.get_name() or ""
    except Exception:
        return ""


def role_of(acc):
    try:
        return acc.get_role_name() or ""
    except Exception:
        return ""


def children(acc):
    try:
        count = acc.get_child_count()
    except Exception:
        return []
    out = []
    for i in range(count):
        try:
            child = acc.get_child_at_index(i)
        except Exception:
            child = None
        if child is not None:
            out.append(child)
    return out


def walk(acc, depth=0, max_depth=40, showing_only=True):
    """acc and its descendants (those on screen unless showing_only is False)."""
    if depth > max_depth:
        return
    yield acc
    for child in children(acc):
        if showing_only and not is_showing(child):
            continue
        yield from walk(child, depth + 1, max_depth, showing_only)


def labels_of(acc):
    """Names of the labels that label acc (LABELLED_BY), as a screen reader announces them."""
    names = []
    try:
        for relation in acc.get_relation_set():
            if relation.get_relation_type() == Atspi.RelationType.LABELLED_BY:
                names += [name_of(relation.get_target(i)) for i in range(relation.get_n_targets())]
    except Exception:
        pass
    return names


def has_interface(acc, interface):
    try:
        return interface in (acc.get_interfaces() or [])
    except Exception:
        return False


def text_of(acc):
    try:
        if not has_interface(acc, "Text"):
            return ""
        return Atspi.Text.get_text(acc, 0, Atspi.Text.get_character_count(acc)) or ""
    except Exception:
        return ""


def describe(root, limit=120):
    """A short dump of what is on screen, for failure messages."""
    lines = []
    for acc in walk(root):
        name = name_of(acc)
        if not name and role_of(acc) in ("filler", "panel", "unknown"):
            continue
        lines.append(f"    {role_of(acc)} {name!r}" + ("" if is_enabled(acc) else " (disabled)"))
        if len(lines) >= limit:
            lines.append("    …")
            break
    return "\n".join(lines)


def poll(what, probe, timeout, interval=0.15, context=None):
    """Calls probe() until it returns something truthy; fails naming `what` after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            detail = ""
            if context is not None:
                try:
                    detail = "\n  on screen:\n" + describe(context())
                except Exception as error:  # the dump is a courtesy; the failure is the point
                    detail = f"\n  (could not list the screen: {error})"
            raise Failure(f"not found within {timeout:.0f} s: {what}{detail}")
        time.sleep(interval)


A11Y_LAUNCHERS = ["/usr/libexec/at-spi-bus-launcher", "/usr/lib/at-spi2-core/at-spi-bus-launcher"]


def session_call(bus, dest, path, iface, method, args=None, reply="()", timeout_ms=5000):
    return bus.call_sync(dest, path, iface, method, args, GLib.VariantType(reply), Gio.DBusCallFlags.NONE,
                         timeout_ms, None).unpack()


def ensure_a11y_bus():
    """Makes sure the session bus has the accessibility bus (org.a11y.Bus).

    A stock session bus (dbus-run-session) starts at-spi-bus-launcher on demand from
    /usr/share/dbus-1/services/org.a11y.Bus.service; that bus in turn starts
    at-spi2-registryd. When the service is not activatable, the launcher is started here.
    Returns the launcher process this test started, or None."""
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    dbus = ("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus")
    owned = session_call(bus, *dbus, "NameHasOwner", GLib.Variant("(s)", ("org.a11y.Bus",)), "(b)")[0]
    activatable = "org.a11y.Bus" in session_call(bus, *dbus, "ListActivatableNames", None, "(as)")[0]
    launcher = None
    if not owned and not activatable:
        path = next((p for p in A11Y_LAUNCHERS if os.access(p, os.X_OK)), None)
        if path is None:
            raise Failure("org.a11y.Bus is not activatable and at-spi-bus-launcher is missing "
                          "(apt-get install at-spi2-core)")
        launcher = subprocess.Popen([path, "--launch-immediately"], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, start_new_session=True)
        poll("org.a11y.Bus on the session bus after starting at-spi-bus-launcher",
             lambda: session_call(bus, *dbus, "NameHasOwner", GLib.Variant("(s)", ("org.a11y.Bus",)), "(b)")[0],
             10)
    try:
        address = session_call(bus, "org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus", "GetAddress", None, "(s)",
                               timeout_ms=15000)[0]
    except GLib.Error as error:
        raise Failure(f"the accessibility bus does not answer (org.a11y.Bus.GetAddress): {error.message}")
    log(f"accessibility bus: {address.split(',')[0]}"
        + (" (at-spi-bus-launcher started by this test)" if launcher else " (activated by the session bus)"))
    return launcher


class Gui:
    """The running paritydeck process and its AT-SPI application object."""

    def __init__(self, proc):
        self.proc = proc
        self.app = None

    def alive(self):
        if self.proc.poll() is not None:
            raise Failure(f"paritydeck exited with code {self.proc.returncode}; {display_state()}")
        return True

    def find_app(self, timeout):
        def probe():
            self.alive()
            desktop = Atspi.get_desktop(0)
            for app in children(desktop):
                try:
                    if app.get_process_id() == self.proc.pid:
                        return app
                except Exception:
                    continue
            return None

        self.app = poll("the paritydeck application on the AT-SPI bus (is QT_LINUX_ACCESSIBILITY_ALWAYS_ON set and "
                        "the accessibility bus reachable?)", probe, timeout)
        # Read every property from the application, never from a stale client-side cache.
        try:
            self.app.set_cache_mask(Atspi.Cache.NONE)
        except Exception:
            pass
        return self.app

    def windows(self):
        return [w for w in children(self.app) if is_showing(w)]

    def window(self, title_part, timeout=20):
        def probe():
            self.alive()
            for w in self.windows():
                if title_part in name_of(w):
                    return w
            return None

        titles = lambda: ", ".join(repr(name_of(w)) for w in self.windows())  # noqa: E731
        try:
            return poll(f"a window titled …{title_part}…", probe, timeout)
        except Failure as error:
            raise Failure(f"{error}; open windows: {titles()}")

    def find(self, root, what, timeout=20, role=None, name=None, name_prefix=None, name_contains=None,
             enabled=None, predicate=None):
        def matches(acc):
            if role is not None and role_of(acc) not in (role if isinstance(role, tuple) else (role,)):
                return False
            n = name_of(acc)
            if name is not None and n != name:
                return False
            if name_prefix is not None and not n.startswith(name_prefix):
                return False
            if name_contains is not None and name_contains not in n:
                return False
            if enabled is not None and is_enabled(acc) != enabled:
                return False
            return predicate is None or predicate(acc)

        def probe():
            self.alive()
            for acc in walk(root):
                if matches(acc):
                    return acc
            return None

        return poll(what, probe, timeout, context=lambda: root)


def press(acc, what):
    try:
        count = Atspi.Action.get_n_actions(acc)
    except Exception:
        count = 0
    if count == 0:
        raise Failure(f"{what} has no action to press")
    with warnings.catch_warnings():  # gi flags it deprecated; 2.46 has no replacement yet
        warnings.simplefilter("ignore", DeprecationWarning)
        names = [Atspi.Action.get_action_name(acc, i) or "" for i in range(count)]
    index = next((i for i, n in enumerate(names) if n.lower() in ("press", "click", "activate")), 0)
    if not Atspi.Action.do_action(acc, index):
        raise Failure(f"pressing {what} failed (actions: {names})")
    log(f"pressed {what}")


def set_text(acc, text, what):
    """Sets the text of an editable field through AT-SPI (EditableText.SetTextContents)."""
    if not has_interface(acc, "EditableText"):
        raise Failure(f"{what} is not editable text")
    if not Atspi.EditableText.set_text_contents(acc, text):
        raise Failure(f"entering text into {what} failed")
    poll(f"{what} reading {text!r}", lambda: text_of(acc) == text, 5)
    log(f"entered {text!r} into {what}")


def type_keys(acc, keys, expected, what):
    """Types keys on the keyboard (synthesised X key events) into acc.

    The keys go to whichever window has the X input focus. Without a window manager only
    the application itself can take the focus, and another program on the same display
    (a parallel display test) may hold it. So: focus the field, type, check the field's
    text, retry keys that went elsewhere; when the focus cannot be had, the text goes in
    through AT-SPI's EditableText, as an on-screen keyboard or dictation tool would."""
    before = text_of(acc)
    for attempt in range(1, 4):
        if not is_focused(acc):
            try:
                Atspi.Component.grab_focus(acc)
            except Exception:
                pass
        try:
            poll(f"keyboard focus in {what}", lambda: is_focused(acc), 3)
        except Failure:
            log(f"{what} cannot get the keyboard focus (another window holds it): "
                f"entering {expected!r} through EditableText")
            set_text(acc, expected, what)
            return
        if not Atspi.generate_keyboard_event(0, keys, Atspi.KeySynthType.STRING):
            raise Failure(f"synthesising the keys {keys!r} failed")
        try:
            poll(f"{what} reading {expected!r}", lambda: text_of(acc) == expected, 5)
            log(f"typed {keys!r} on the keyboard into {what}")
            return
        except Failure:
            got = text_of(acc)
            log(f"typing {keys!r} into {what}, attempt {attempt}: it reads {got!r}, expected {expected!r}")
            if got != before:
                set_text(acc, before, what)
    raise Failure(f"{what} did not read {expected!r} after typing {keys!r} three times (it reads {text_of(acc)!r})")


def is_focused(acc):
    s = states_of(acc)
    return s is not None and s.contains(Atspi.StateType.FOCUSED)


def description_of(acc):
    try:
        return acc.get_description() or ""
    except Exception:
        return ""


# Controls a screen reader must be able to name: a role here with neither a name nor a
# label (LABELLED_BY) is announced as just "button", "edit", …
INTERACTIVE = {"push button", "toggle button", "check box", "radio button", "combo box", "text", "entry",
               "password text", "spin button", "slider", "tree", "tree table", "table", "list", "list box",
               "page tab", "menu item", "progress bar"}


def unnamed_controls(window):
    """(role, parent role, parent name) of every unnamed, unlabelled control on screen."""
    found = []
    for acc in walk(window):
        role = role_of(acc)
        if role in INTERACTIVE and not name_of(acc).strip() and not any(n.strip() for n in labels_of(acc)):
            parent = acc.get_parent()
            found.append((role, role_of(parent), name_of(parent)))
    return found


# --------------------------------------------------------------------------- the scenario
def card(gui, main, env):
    return gui.find(main, f"the card named '{env} environment'", name=f"{env} environment")


def label_in(gui, root, text, what, timeout=30):
    return gui.find(root, what, timeout=timeout, role="label", name=text)


AUDIT = {}


def audit(window, where):
    """Records the unnamed controls of a window (reported at the end)."""
    AUDIT[where] = unnamed_controls(window)


def scenario(gui, clusters):
    main = gui.window("ParityDeck", timeout=30)
    log(f"main window: {name_of(main)!r}")
    dev = card(gui, main, "dev")
    prod = card(gui, main, "prod")

    # The first check settles: prod runs but needs attention (0002 pending, a hand-made
    # column), dev is down (stopped).
    label_in(gui, prod, "Needs attention", "prod's status 'Needs attention'", timeout=30)
    label_in(gui, dev, "Down", "dev's status 'Down' before it is started", timeout=30)
    log("first check: prod needs attention, dev Down")
    gui.find(main, "the status bar naming dev as down", role="label", name_contains="dev: Down", timeout=30)
    audit(main, "main window")

    # 1. Start dev: re-checked at once, no stale "Down" (0002 is pending there too, so it
    # reads "Needs attention" with its service up).
    start = gui.find(dev, "an enabled button 'Start dev services'", role="push button", name="Start dev services",
                     enabled=True)
    t0 = time.monotonic()
    press(start, "'Start dev services'")
    label_in(gui, dev, "Needs attention", "dev's status 'Needs attention' (up, 0002 pending) after Start",
             timeout=60)
    log(f"Start → card up (state 'Needs attention'): {time.monotonic() - t0:.1f} s")
    gui.find(dev, "the service line 'postgres: Up' on the dev card", role="label", name="postgres: Up")
    log("dev is up")

    # Drift is known without a click: the watch finds prod's hand-made column (its expected
    # schema is built on dev's server, the unprotected one), and the status bar names it
    # beside prod's pending migration.
    t0 = time.monotonic()
    gui.find(prod, "prod's drift badge 'prod ⚠ drift: 1 object' without any click",
             name_prefix="prod ⚠ drift: 1 object", timeout=60)
    log(f"prod's drift shown {time.monotonic() - t0:.1f} s after dev came up, no click")
    gui.find(main, "the status bar naming prod's drift and pending migration", role="label",
             name_contains="prod: drift, 1 object, 1 pending migration", timeout=30)
    if not clusters["dev"].running():
        raise Failure("the GUI says dev is Up but its server is not running")

    # 2. Diff dev -> prod.
    diff = gui.find(dev, "an enabled button 'Compare the schema of dev' (Diff…)", role="push button",
                    name="Compare the schema of dev", enabled=True)
    press(diff, "'Compare the schema of dev'")
    review = gui.window("Schema differences", timeout=20)
    # Qt names an editable combo box by its text on Linux; its label comes as LABELLED_BY.
    labelled = lambda label: lambda a: label in labels_of(a) or name_of(a) == label  # noqa: E731
    to_box = gui.find(review, "a combo box labelled 'To' in the review window", role="combo box",
                      predicate=labelled("To"))
    from_box = gui.find(review, "a combo box labelled 'From' in the review window", role="combo box",
                        predicate=labelled("From"))
    editable = lambda box: next((a for a in walk(box) if has_interface(a, "EditableText")), None)  # noqa
    from_text = editable(from_box)
    if from_text is None or text_of(from_text) != "dev":
        raise Failure(f"the review window's From side should be 'dev', it is {text_of(from_text)!r}")
    to_text = editable(to_box)
    if to_text is None:
        raise Failure("the review window's 'To' combo box has no editable text")
    if text_of(to_text):
        raise Failure(f"'To' should be empty for the user to pick, it is {text_of(to_text)!r}")
    set_text(to_text, "prod", "'To'")
    compare = gui.find(review, "an enabled button 'Compare'", role="push button", name="Compare", enabled=True)
    press(compare, "'Compare'")
    gui.window("dev → prod", timeout=30)
    changes = gui.find(review, "the 'Schema changes' tree", role=("tree table", "tree", "table"),
                       name="Schema changes")

    def change_rows():
        names = [name_of(a) for a in walk(changes) if a is not changes]
        return [n for n in names if "shows" in n] and names

    rows = poll("a row naming table 'shows' in 'Schema changes' (prod's hand-made column)", change_rows, 30,
                context=lambda: review)
    log(f"schema changes: {[r for r in rows if r][:8]}")
    sql = gui.find(review, "the 'Generated SQL' text", name="Generated SQL")
    statement = poll("'hotfix_note' in the generated SQL",
                     lambda: "hotfix_note" in text_of(sql) and text_of(sql), 30, context=lambda: review)
    log("generated SQL: " + " ".join(statement.split())[:160])
    audit(review, "review window")
    if "ALTER TABLE" not in statement.upper() or "ADD COLUMN HOTFIX_NOTE" not in statement.upper():
        raise Failure(f"the generated SQL should add column hotfix_note to shows, it is:\n{statement}")
    # Both DDL panes are readable by a screen reader and line up row for row: the same
    # number of lines, an unchanged line read the same on both sides.
    from_ddl = gui.find(review, "the 'DDL in From' text", name="DDL in From")
    to_ddl = gui.find(review, "the 'DDL in To' text", name="DDL in To")

    def aligned_panes():
        left, right = text_of(from_ddl).split("\n"), text_of(to_ddl).split("\n")
        if len(left) < 2 or len(left) != len(right):
            return None
        same = [a for a, b in zip(left, right) if a and a.strip(" ,") == b.strip(" ,")]
        return same and (left, right)

    left, right = poll("both DDL panes with the same number of lines", aligned_panes, 30, context=lambda: review)
    log(f"DDL panes: {len(left)} rows each; first: {left[0][:60]!r} | {right[0][:60]!r}")
    swap = gui.find(review, "an enabled button 'Swap From and To'", role="push button", name="Swap From and To",
                    enabled=True)
    press(swap, "'Swap From and To'")
    gui.window("prod → dev", timeout=30)
    poll("'prod' in From after Swap", lambda: text_of(from_text) == "prod" and text_of(to_text) == "dev", 10,
         context=lambda: review)
    log("Swap: the review now compares prod → dev")

    # 2b. prod's drift badge opens the review of prod against its migrations, with both
    # remedies; selecting the object shows its DDL on both sides, line for line.
    badge = gui.find(prod, "prod's drift badge", name_prefix="prod ⚠ drift: 1 object")
    press(badge, "prod's drift badge")
    drift = poll("a review window comparing prod's migrations with prod",
                 lambda: next((w for w in gui.windows()
                               if "→ prod — Schema differences" in name_of(w) and "migrations" in name_of(w)), None),
                 30)
    log(f"drift review: {name_of(drift)!r}")
    gui.find(drift, "the remedy 'Revert prod to its migrations'", role="push button",
             name="Revert prod to its migrations")
    gui.find(drift, "the remedy 'Capture into a migration'", role="push button",
             name_prefix="Capture into a migration")
    def select_object():
        # The tree is filled when the comparison lands; a handle read before may be gone.
        try:
            tree = gui.find(drift, "the 'Schema changes' tree (drift)", role=("tree table", "tree", "table"),
                            name="Schema changes", timeout=5)
            cell = next((c for c in children(tree) if name_of(c).startswith("column public.shows.hotfix_note")),
                        None)
            if cell is None:
                return False
            # A screen reader moves its focus to the cell; Qt selects the row it lands on.
            Atspi.Component.grab_focus(cell)
            return is_focused(cell) or any(is_focused(c) for c in children(tree)
                                           if name_of(c).startswith("column public.shows.hotfix_note"))
        except (GLib.Error, Failure) as error:
            log(f"selecting the hotfix_note row: {error}")
            return False

    poll("the row 'column public.shows.hotfix_note' selected in the drift review", select_object, 30,
         context=lambda: drift)
    drift_from = gui.find(drift, "the 'DDL in From' text (drift)", name="DDL in From")
    drift_to = gui.find(drift, "the 'DDL in To' text (drift)", name="DDL in To")

    def object_ddl():
        left, right = text_of(drift_from).split("\n"), text_of(drift_to).split("\n")
        both = "\n".join(left + right)
        return len(left) == len(right) and "hotfix_note" in both and (left, right)

    left, right = poll("the selected object's DDL, hotfix_note on one side, both panes the same length",
                       object_ddl, 30, context=lambda: drift)
    log(f"drift review, object selected: {len(left)} rows each side")
    audit(drift, "drift review window")
    # The review window stays open (bare Xvfb has no window manager to close it with);
    # the next steps look only inside the windows they open, found by title.

    # 3. Apply the pending migration on dev (unprotected).
    gui.find(dev, "dev's schema line 'schema 0001 · 1 pending'", role="label", name="schema 0001 · 1 pending")
    apply_dev = gui.find(dev, "an enabled button 'Apply migrations to dev'", role="push button",
                         name="Apply migrations to dev", enabled=True)
    press(apply_dev, "'Apply migrations to dev'")
    dialog = gui.window("Apply migrations — dev")
    gui.find(dialog, "the list 'Migrations not applied' with 0002",
             name="Migrations not applied", predicate=lambda a: any(
                 "0002" in name_of(c) for c in walk(a) if c is not a))
    apply = gui.find(dialog, "an enabled button 'Apply migrations' in dev's dialog", role="push button",
                     name="Apply migrations", enabled=True)
    audit(dialog, "migration dialog (dev)")
    press(apply, "'Apply migrations' (dev)")
    gui.find(dialog, "the result 'Applied 1 migration to dev: …0002… (N ms).'", role="label",
             name_prefix="Applied 1 migration to dev: ", predicate=lambda a: "0002" in name_of(a) and " ms)" in name_of(a),
             timeout=60)
    gui.find(dialog, "the summary 'dev: schema 0002 · up to date'", role="label",
             name="dev: schema 0002 · up to date")
    gui.find(dialog, "a disabled Apply once nothing is pending", role="push button", name="Apply migrations",
             enabled=False)
    press(gui.find(dialog, "the 'Close' button", role="push button", name="Close"), "'Close'")
    gui.find(dev, "dev's schema line 'schema 0002 · up to date'", role="label", name="schema 0002 · up to date")
    log("dev: 0002 applied, nothing pending")

    # 4. prod is protected: the name must be typed before Apply is enabled.
    gui.find(prod, "the badge 'protected · confirm' on prod", role="label", name="protected · confirm")
    apply_prod = gui.find(prod, "an enabled button 'Apply migrations to prod'", role="push button",
                          name="Apply migrations to prod", enabled=True)
    press(apply_prod, "'Apply migrations to prod'")
    dialog = gui.window("Apply migrations — prod")
    # It says where it acts before anything else: environment, user@host:port/db, protection.
    gui.find(dialog, "the target line 'prod · …@127.0.0.1:…/… · … · protection: confirm'", role="label",
             name_prefix="prod · ", predicate=lambda a: "@127.0.0.1:" in name_of(a)
             and name_of(a).endswith("protection: confirm"))
    gui.find(dialog, "the note 'prod is protected. Type its name to enable Apply:'", role="label",
             name="prod is protected. Type its name to enable Apply:")
    confirm = gui.find(dialog, "the field 'Type the environment name to confirm'",
                       name="Type the environment name to confirm")
    # Wait until the dialog has read the plan, so "disabled" below is about the name only.
    gui.find(dialog, "the list 'Migrations not applied' with 0002 (prod)", name="Migrations not applied",
             predicate=lambda a: any("0002" in name_of(c) for c in walk(a) if c is not a))
    gui.find(dialog, "the Dry run button enabled (the plan is read)", role="push button", name="Dry run",
             enabled=True)
    # Disabled, and saying why (a screen reader reads the description); the reason may be
    # "Reading the pending migrations…" for a moment first.
    needs_name = lambda a: 'Type "prod" to confirm.' in description_of(a)  # noqa: E731
    gui.find(dialog, "Apply disabled before the name is typed, described 'Type \"prod\" to confirm.'",
             role="push button", name="Apply migrations", enabled=False, predicate=needs_name)
    # The dialog puts the focus in the field; type as a user does, on the keyboard.
    audit(dialog, "migration dialog (prod)")
    type_keys(confirm, "pro", "pro", "the confirmation field")
    time.sleep(0.3)  # let a (wrong) enable propagate if the app had that bug
    gui.find(dialog, "Apply still disabled with 'pro' typed, described 'Type \"prod\" to confirm.'",
             role="push button", name="Apply migrations", enabled=False, predicate=needs_name, timeout=5)
    type_keys(confirm, "d", "prod", "the confirmation field")
    apply = gui.find(dialog, "Apply enabled once 'prod' is typed", role="push button", name="Apply migrations",
                     enabled=True, timeout=10)
    press(apply, "'Apply migrations' (prod)")
    gui.find(dialog, "the result 'Applied 1 migration to prod: …0002….'", role="label",
             name_prefix="Applied 1 migration to prod: ", predicate=lambda a: "0002" in name_of(a), timeout=60)
    gui.find(dialog, "the summary 'prod: schema 0002 · up to date'", role="label",
             name="prod: schema 0002 · up to date")
    press(gui.find(dialog, "the 'Close' button", role="push button", name="Close"), "'Close'")
    gui.find(prod, "prod's schema line 'schema 0002 · up to date'", role="label", name="schema 0002 · up to date")
    log("prod: 0002 applied after typing its name")

    # 5. Esc closes the Parity window, as it closes every secondary window.
    press(gui.find(main, "the toolbar button 'Parity'", role="push button", name="Parity"), "'Parity'")
    parity = gui.window("Parity — ParityDeck")
    table = gui.find(parity, "the table 'Parity matrix'", name="Parity matrix")
    try:
        Atspi.Component.grab_focus(table)
    except Exception:
        pass
    try:
        poll("the keyboard focus in the Parity window", lambda: any(is_focused(a) for a in walk(parity)), 3)
        focused = True
    except Failure:
        focused = False
    if focused:
        if not Atspi.generate_keyboard_event(0xff1b, None, Atspi.KeySynthType.SYM):  # XK_Escape
            raise Failure("synthesising Esc failed")
        poll("the Parity window closed by Esc",
             lambda: not any(name_of(w).startswith("Parity —") for w in gui.windows()), 10)
        log("Esc closed the Parity window")
    else:
        # Another program on this display holds the X focus: the Close button must do it.
        log("the Parity window cannot get the keyboard focus: closing it with its Close button")
        press(gui.find(parity, "the 'Close' button", role="push button", name="Close"), "'Close' (Parity)")
        poll("the Parity window closed",
             lambda: not any(name_of(w).startswith("Parity —") for w in gui.windows()), 10)


# --------------------------------------------------------------------------- main
def main():
    bindir = pg_bindir()
    base = os.environ.get("PD_PGCLUSTER_DIR") or tempfile.gettempdir()
    root = tempfile.mkdtemp(prefix="paritydeck-e2e-", dir=base)
    os.chmod(root, 0o755)  # the postgres user must get through when we are root
    log(f"working in {root}")
    clusters = {}
    gui = None
    watchdog = None
    launcher = None
    try:
        launcher = ensure_a11y_bus()
        taken = set()
        for name in ("dev", "prod"):
            port = free_port(taken)
            taken.add(port)
            clusters[name] = Cluster(name, os.path.join(root, "pg"), bindir, port)
        os.makedirs(os.path.join(root, "pg"))
        os.chmod(os.path.join(root, "pg"), 0o755)
        # Whatever ends this process (even SIGKILL from a ctest timeout), a detached shell
        # waiting on a pipe stops the servers and removes the folder.
        watchdog = start_watchdog(root, clusters)
        if launcher is not None:
            watchdog_add_pid(watchdog, launcher.pid)
        for c in clusters.values():
            c.init()
            c.start()
            # dev's user may create the throwaway database the drift check builds the
            # expected schema in (prod is protected: never used for that).
            createdb = " CREATEDB" if c.name == "dev" else ""
            c.psql(f"CREATE ROLE app LOGIN{createdb} PASSWORD '{c.password}';\nCREATE DATABASE app OWNER app;\n",
                   db="postgres")
        log("clusters dev and prod initialised and started")

        ws = os.path.join(root, "workspace")
        write_workspace(ws, clusters, bindir)
        home = os.path.join(root, "home")
        runtime = os.path.join(root, "run")
        os.makedirs(home)
        os.makedirs(runtime, mode=0o700)
        env = dict(os.environ)
        env.update({
            "HOME": home, "XDG_CONFIG_HOME": os.path.join(home, ".config"),
            "XDG_STATE_HOME": os.path.join(home, ".local/state"),
            "XDG_DATA_HOME": os.path.join(home, ".local/share"),
            "XDG_CACHE_HOME": os.path.join(home, ".cache"),
            "XDG_RUNTIME_DIR": runtime,
            "PD_E2E_DEV_PASSWORD": clusters["dev"].password,
            "PD_E2E_PROD_PASSWORD": clusters["prod"].password,
        })
        env.pop("QT_QPA_PLATFORM", None)

        # Both at 0001 through the real CLI; prod gets a hand-made change; dev is stopped.
        for name, extra in (("dev", []), ("prod", ["--confirm", "prod"])):
            out = run([BINARY, "--workspace", ws, "migrate", "apply", name, "--to", "0001"] + extra,
                      f"paritydeck migrate apply {name} --to 0001", env=env, cwd=ws)
            log(f"paritydeck migrate apply {name}: " + " | ".join(out.strip().splitlines()))
        clusters["prod"].psql("ALTER TABLE shows ADD COLUMN hotfix_note text;")
        clusters["dev"].stop()
        if clusters["dev"].running():
            raise Failure("the dev cluster did not stop")
        log("seeded: dev and prod at 0001, prod has a hand-made column, dev stopped")

        gui_env = dict(env)
        gui_env.update({"QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1", "QT_ACCESSIBILITY": "1",
                        "QT_QPA_PLATFORM": "xcb"})
        gui_log_path = os.path.join(root, "paritydeck-gui.log")
        for attempt in (1, 2):
            with open(gui_log_path, "w") as gui_log:
                proc = subprocess.Popen([BINARY, "--workspace", ws], env=gui_env, cwd=ws, stdout=gui_log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
            gui = Gui(proc)
            watchdog_add_pid(watchdog, proc.pid)
            log(f"paritydeck started (pid {proc.pid})")
            try:
                gui.find_app(timeout=30)
                break
            except Failure:
                # Seen a few times on this shared machine: Qt's xcb plugin could not connect
                # although the display answers a moment later. Once, and only for that.
                with open(gui_log_path) as f:
                    refused = "could not connect to display" in f.read()
                if attempt == 2 or proc.poll() is None or not refused:
                    raise
                log(f"paritydeck could not connect to the display ({display_state()}): starting it again")
        log("found paritydeck on the accessibility bus")
        scenario(gui, clusters)
        unexpected = []
        for where, found in AUDIT.items():
            log(f"unnamed controls in the {where}: {len(found)}"
                + "".join(f"\n    {r} in {pr} {pn!r}" for r, pr, pn in found))
            unexpected += [f"{r} in {pr} {pn!r} ({where})" for r, pr, pn in found]
        if unexpected:
            raise Failure("controls a screen reader cannot name (no accessible name, no label): "
                          + "; ".join(unexpected))

        # The databases agree with what the GUI said.
        for name in ("dev", "prod"):
            tables = clusters[name].psql(
                "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public';")
            if tables.strip() != "episodes,shows":
                raise Failure(f"{name} should hold tables episodes and shows, it holds {tables.strip()!r}")
        log("checked in the databases: dev and prod both hold episodes and shows")
        # Changes made through the panel are audited (the CLI reads the same log).
        audit_json = run([BINARY, "--workspace", ws, "audit", "--json"], "paritydeck audit --json", env=env, cwd=ws)
        entries = json.loads(audit_json)
        entries = entries.get("entries", entries) if isinstance(entries, dict) else entries
        # A change that takes time writes "started" before it runs; each is answered by its end.
        started = {e.get("operation") for e in entries if e.get("outcome") == "started"}
        ended = {e.get("operation") for e in entries if e.get("outcome") != "started" and e.get("operation")}
        if started - ended:
            raise Failure(f"audit entries started and never ended: {sorted(started - ended)}")
        seen = [(e.get("environment"), e.get("action"), e.get("outcome")) for e in entries
                if e.get("outcome") != "started"]
        log("audit log: " + "; ".join(" ".join(map(str, e)) for e in seen))
        expected = [("dev", "start", "ok"), ("dev", "migrate-apply", "ok"), ("prod", "migrate-apply", "ok")]
        if seen[-3:] != expected:
            raise Failure(f"the audit log should end with what the panel did, {expected}; it holds {seen}")
        log("PASS")
        return 0
    except Failure as error:
        print(f"e2e: FAIL: {error}", file=sys.stderr, flush=True)
        if gui is not None:
            dump_gui_log(root)
        return 1
    finally:
        if gui is not None:
            stop_process(gui.proc)
        if launcher is not None:
            stop_process(launcher)
        for c in clusters.values():
            try:
                c.stop("immediate")
            except Exception as error:
                print(f"e2e: stopping {c.name}: {error}", file=sys.stderr)
        if watchdog is not None:
            # Everything is stopped: the watchdog must not kill a recycled pid.
            watchdog.stdin.write("clear\n")
            watchdog.stdin.close()  # EOF: the watchdog finds nothing running and removes root
            try:
                watchdog.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        shutil.rmtree(root, ignore_errors=True)
        log(f"cleaned up ({time.monotonic() - T0:.1f} s in all)")


def display_state():
    """Whether the X display still answers: tells a dead Xvfb from a failing panel."""
    display = os.environ.get("DISPLAY", "")
    number = display.split(":")[-1].split(".")[0]
    path = f"/tmp/.X11-unix/X{number}"
    if not os.path.exists(path):
        return f"the X display {display} is gone ({path} is missing: Xvfb ended or was killed)"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(2)
        try:
            s.connect(path)
        except OSError as error:
            return f"the X display {display} does not accept connections ({path}: {error})"
    return f"the X display {display} accepts connections"


def dump_gui_log(root):
    path = os.path.join(root, "paritydeck-gui.log")
    try:
        with open(path) as f:
            tail = f.read()[-4000:]
        print(f"--- paritydeck output (last 4000 characters) ---\n{tail}", file=sys.stderr)
    except OSError:
        pass


def stop_process(proc):
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


WATCHDOG = r"""
pids=''
while IFS= read -r line; do
  if [ "$line" = clear ]; then pids=''; else pids="$pids $line"; fi
done
for p in $pids; do kill -KILL "$p" 2>/dev/null; done
for d in "$1"/pg/*/data; do
  pid=$(head -n 1 "$d/postmaster.pid" 2>/dev/null)
  [ -n "$pid" ] && kill -QUIT "$pid" 2>/dev/null
done
sleep 1
rm -rf "$1"
"""


def start_watchdog(root, clusters):
    del clusters
    return subprocess.Popen(["sh", "-c", WATCHDOG, "sh", root], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True, text=True, cwd="/")


def watchdog_add_pid(watchdog, pid):
    watchdog.stdin.write(f"{pid}\n")
    watchdog.stdin.flush()


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    sys.exit(main())
