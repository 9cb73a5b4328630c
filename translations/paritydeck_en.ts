<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>pd::ErrorMessage</name>
    <message>
        <source>it exited with code {exitCode} and printed nothing on stderr</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} other session is</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} other sessions are</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none given)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (local branches: {branches})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it must not start with &apos;-&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it is reserved by git</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it must not contain &apos;..&apos;, &apos;@{&apos; or &apos;//&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it must not start with &apos;/&apos; or end with &apos;/&apos;, &apos;.&apos; or &apos;.lock&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it must not contain spaces, control characters or any of ~^:?*[\</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no part of it may start with &apos;.&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>timed out after {seconds}s connecting to {address}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>password authentication failed for user {user} at {address}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server at {address} requires a password for user {user}, but none was given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>role &quot;{role}&quot; does not exist at {address}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>database &quot;{database}&quot; does not exist at {address}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>authentication failed for user {user} at {address}: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connection refused at {address}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connection refused at {address} (no server socket there)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>host name &quot;{host}&quot; could not be resolved: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server at {address} refused the connection: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot reach {address}: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not connect to {address}: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file}:{line}:{column}: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file}:{line}: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file}: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{environment} is protected (protection: confirm): {change} without its name typed to confirm{advice}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{environment} is protected (protection: confirm): {change}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{environment} is read-only (protection: read-only): {change} without its name typed to confirm{advice}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{environment} is read-only (protection: read-only): {change}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{environment}: unknown protection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{inEnvironment}migration {version} failed at {where}{statement}: {detail}; its transaction was rolled back, so nothing of {version} was kept; {applied}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{inEnvironment}migration {version} failed at {where}{statement}: {detail}; it ran outside a transaction, so the statements before that one stay applied and {version} is recorded as failed — repair by hand, then delete its history row; {applied}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{inEnvironment}migration {version} was cancelled at {where}{statement}; its transaction was rolled back, so nothing of {version} was kept; {applied}; the remaining migrations stay pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{inEnvironment}migration {version} was cancelled at {where}{statement}{unconfirmed}; it runs outside a transaction: {ran}; {applied}; the remaining migrations stay pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no environment &apos;{environment}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{environment}: {operation} is still running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{environment} has no services configured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the operation was abandoned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the drift check was cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the comparison was cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the revert was cancelled; nothing was changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled: the remaining migrations stay pending.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled because ParityDeck is shutting down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{primary}{context}{hint}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>query timed out after {milliseconds} ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>query timed out after {milliseconds} ms (server statement_timeout)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>query timed out after {milliseconds} ms; the server did not confirm the cancellation, so the connection to {address} was closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the statement was cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the statement was cancelled; the server did not confirm the cancellation, so the connection to {address} was closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the connection to {address} was lost {when}{detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the query returned no rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{where} refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>host {host} not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no answer from {where}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no answer from {where} within {seconds} s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{where}: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GET {path} closed the connection without an answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GET {path} got no answer within {seconds} s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GET {path} did not answer HTTP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GET {path} answered {status}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>health command was killed by a signal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>health command exited {exitCode}{output}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the database password: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>environment {environment} has no service named {service}; it has: {services}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>process exited during start{output}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>did not become healthy within {seconds} s: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stop command exited {exitCode}{output}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot run the {what}: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{what} did not finish within {seconds} s and was stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot start {command}: fork failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot signal process {pid}: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>environment variable {name} is not set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{reference}: {key} is not set in {file}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{reference} was killed by a signal: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{reference} exited {exitCode}: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{reference} could not be started in {folder}: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{reference} printed more than {bytes} bytes on stdout; expected a single secret and stopped it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{reference} did not finish within {milliseconds} ms and was stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{reference}: unsupported secret reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no keyring entry for {reference}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{reference}: access to the keyring was refused at its prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no environment &apos;{environment}&apos; in {file} (environments: {environments})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{environment}: no database URL in {file}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{environment} has no database to compare</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{reference}: the lookup was abandoned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no value given for {secret}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{environment}: migrations.command runs `{command}` as it is; a target version does not apply to it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file} sets no migrations.command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{environment}: cancelled before the migrations command started; nothing was run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the parity check was abandoned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create the folder {folder} for the audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write to the audit log {file}: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>database branch &quot;{branch}&quot; does not exist on {address}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot branch from &quot;{parent}&quot;: no such database on {address}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot reset &quot;{branch}&quot;: its parent &quot;{parent}&quot; no longer exists on {address}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;{branch}&quot; is the environment&apos;s main database; a branch needs a name of its own</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a branch cannot be its own parent (&quot;{branch}&quot;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not run git ({detail}); is git installed and on PATH?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HEAD in {folder} is detached at {commit}, not on a branch; check out a branch first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a git branch name cannot be empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file}: could not read the parser&apos;s output ({detail})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{where}: {statement} controls the transaction, but ParityDeck runs each migration in its own transaction and records it in the same one; remove it, or add the line &quot;{marker}&quot; to run the file statement by statement without a transaction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the migration {file}: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{first} and {second} both have version {version}{zeros}; give one of them a new version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file}: version {version} does not fit golang-migrate&apos;s unsigned 64-bit version number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sqitch.plan line {line} lists change {change}, but {file} does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the Alembic revisions {revisions} form a cycle through their down_revision values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the migrations folder {folder} does not exist; create it or set migrations.dir in paritydeck.yaml</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file}: migrations.format: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown migrations format &quot;{name}&quot;; use one of {formats}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing was applied: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{reason}; nothing was applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the connection was lost while committing migration {version} ({file}): {detail}; whether it was applied is unknown — its history row was written in the same transaction, so `migrate status` shows the truth; {applied}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not record the baseline, nothing was recorded: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled while waiting for the migration lock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the migration lock was not free after {seconds} s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>trying the migration lock: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled while waiting for {holder}; nothing was applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{holder} held the migration lock for more than {seconds} s; nothing was applied. Try again when that apply has finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>while waiting for the migration lock: {reason}; nothing was applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create {table}: {reason}; nothing was applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>there is no migration with version {version} in {folder}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{reason}; the migrations command was not run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>migrations.command is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot run the {what}: no temporary folder ({detail})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create {folder}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create {file}: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write {file}: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this plain migrations folder applies files in name order, and {version}.sql would come before {last}: name the new file yourself so it sorts last (zero-padded numbers keep the order)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sqitch migrations need a plan entry: add the change with `sqitch add {change}` and paste the SQL into its deploy script</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the shadow database was already dropped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create the cache folder {folder}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create the service state folder {folder}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>there is no environment named {environment} in {file}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{environment}: branches.database is &quot;{value}&quot;; the supported value is &quot;template&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{environment} has cloud branches (branches.cloud), not branches on its own server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{environment} has no branches configured; add branches: {setting} to it in {file}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{environment}: cleanup is not available for cloud branches (ParityDeck cannot tell its own branches from the rest of the vendor project); remove them with paritydeck branch delete NAME</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read {file}: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file} is not valid JSON ({detail}); fix it or delete it to forget the branch selections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create the folder {folder}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file} is locked by another ParityDeck process; try again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{environment}: the URL recorded for cloud branch {branch} in {file} is not usable ({reason}); switch to the branch again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{environment}: {branch} is the parent branch (the environment&apos;s own database); ParityDeck does not {verb} it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a branch cannot be created from itself ({branch})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{environment} has no cloud branch {branch}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot reset {branch}: its parent branch {parent} is not in the vendor&apos;s branch list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{source} gave no postgresql:// URL for cloud branch {branch}; check the &apos;{setting}&apos; setting of {environment}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the URL {source} gave for cloud branch {branch} is not usable: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no command is configured to {verb} cloud branches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not start /bin/sh to {verb} cloud branches: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the command to {verb} cloud branches printed more than {megabytes} MB and was stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the command to {verb} cloud branches did not finish within {seconds} s and was stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the command to {verb} cloud branches failed: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the branch list is not valid JSON ({detail} at byte {offset}); check the list command&apos;s output format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the branch list is a JSON object with {arrays} arrays; expected an array of branches or an object holding exactly one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>entry {entry} of the branch list has no text field &quot;{field}&quot;; set jsonNameField to the field that holds the branch name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a cloud branch needs a name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>name the cloud branch to delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the {what} name cannot be empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the {what} name &quot;{name}&quot; is longer than PostgreSQL&apos;s 63-byte limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{environment}: the database URL names no database, so there is no parent to branch from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot {action} &quot;{branch}&quot;: it is the main database of a protected environment (protection: {protection}), not a branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot {action} &quot;{branch}&quot;: it is the environment&apos;s main database, not a branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot reset &quot;{branch}&quot;: its parent &quot;{parent}&quot; must be copied while nobody else is connected to it, and {others} connected: {sessions}; close them, or allow ParityDeck to disconnect them (--force-disconnect)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the folder {folder} does not exist, so it holds no git repository</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>git {command} did not finish within {seconds} s in {folder} and was stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>git branch {branch} does not exist in {folder}{known}; create it first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;{branch}&quot; is not a valid git branch name: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the {what} name contains the control character U+{codePoint} at position {position}; expected printable characters only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{environment}: expected {expected} resolved secret_env values, got {got}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file} does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file} is a directory, not a dotenv file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file} is not a regular file; a dotenv file must be one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file} is larger than {limit}; a dotenv file is expected to hold a few kilobytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{reference}: no keyring available (is a Secret Service such as gnome-keyring running and unlocked?){detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{reference}: access to the keyring was denied (is it unlocked?){detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{operation} {reference} failed{detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file} does not load: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the database password was not read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the scratch server URL: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{environment}&apos;s newest applied migration {version} has no file in {folder}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{reason}. {nothing}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not promoted, nothing ran: {gates}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{reason}. Nothing was run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>services of {environment} wait for each other in &apos;after&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not restarted; it was stopped or started meanwhile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>environment {environment} has no services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>service {service} has no log yet ({file}); it is written once ParityDeck starts the service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{what}: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tcp probe target {target} is not HOST:PORT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot {verb} {secret}: it refers to {reference}, which ParityDeck only reads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{folder}: no such folder; expected a folder inside a ParityDeck workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no {file} in {folder} or any folder above it; expected a workspace file there, or --workspace PATH</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not wait for {address}: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not switch the connection to {address} to non-blocking mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>COPY … FROM STDIN is not supported here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>COPY … TO STDOUT is not supported here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>replication COPY is not supported here; the connection was closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{environment} is not promoted from another environment; set environments.{environment}.promotes_from in {file}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{environment} is promoted from {upstream}, which is not an environment of {file}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the revert has a statement that cannot run in a transaction; save it as a migration instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no answer from the secret resolver within {seconds} s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{environment}: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>: {line}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>before the query was sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>while raising statement_timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>while sending the query</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>while waiting for the result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>while reading COPY data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>: {libpqDetail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server reported an error without a message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (SQLSTATE {sqlstate}, line {line}, column {column})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (SQLSTATE {sqlstate})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (line {line}, column {column})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; hint: {hintText}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{environment} refused the change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was stopped or started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>migrations command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> ({summary})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (the server did not confirm the cancellation: that statement may still complete)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none of its statements was applied, and it stays pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the statements before that one stay applied ({statements}) and {version} is recorded as failed — check the database, repair by hand if needed, then delete its history row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this database&apos;s migrations are tracked by {tool} in {table}; ParityDeck reads that history but writes only its own. Apply them with {tool} (or set migrations.command in paritydeck.yaml)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alembic revisions are Python and ParityDeck does not run them; use `alembic upgrade head` (or set migrations.command in paritydeck.yaml)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (leading zeros do not make another version)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read this plan line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change {change} appears again later, but no tag follows this one; sqitch requires a tag between a change and its rework</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file contains a NUL byte; is it really a SQL text file?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>invalid UTF-8 (byte 0x{byte}); save the file as UTF-8</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>writing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deleting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>using</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> [{backend}]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> [unknown error]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>what it printed is not shown, as it may hold secrets; run the command in a terminal to see it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot open the log file {file}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot enter the folder {folder}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot run /bin/sh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port {port}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>migrations cannot be applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>migrations cannot be marked as applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>services cannot be started or stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>database branches cannot be created, reset, deleted or switched</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>other clients&apos; sessions cannot be ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its secrets cannot be stored or deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its secrets cannot be revealed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its server does not host throwaway databases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ParityDeck does not write its shared history into its database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing can be changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (&quot;{typed}&quot; was typed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (--confirm {environment} on the command line)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (type {environment} to confirm)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pd::Gui</name>
    <message>
        <source>ParityDeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ParityDeck cannot open this workspace.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pd::ui::AboutDialog</name>
    <message>
        <source>About ParityDeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ParityDeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keeps a team&apos;s PostgreSQL environments in parity: status, migrations, schema drift, diff and parity.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ParityDeck:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Qt:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (built with %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>libpq:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ParityDeck: proprietary, for the team it was built for (/usr/share/doc/paritydeck/copyright).
Qt: LGPL-3.0-only.
libpq (PostgreSQL client library): PostgreSQL Licence.
libpg_query: BSD-3-Clause.
Qt Keychain: BSD-3-Clause.
yaml-cpp: MIT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Licences</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pd::ui::AuditView</name>
    <message>
        <source>Audit log — ParityDeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workspace filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This workspace (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All workspaces</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every workspace on this machine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes made from %1, or from every workspace on this machine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Workspace:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Environment filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All environments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Environment:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the audit log again (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Environment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Selected entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an entry to read it in full.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the audit log: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from the database: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>started, no end recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ ok</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>▶ started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>database: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>workspace: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pd::ui::Autostart</name>
    <message>
        <source>cannot remove %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pd::ui::BranchSwitcherDialog</name>
    <message>
        <source>just now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Branches of %1 — ParityDeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Branches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Git branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database exists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Age</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Switch to it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reset…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;load</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset %1? Every change made in it is lost: it becomes a fresh copy of %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resetting %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the database branch %1 and everything in it?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleting %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End other sessions on the parent if they block the copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PostgreSQL cannot copy a database others are connected to (PgBouncer keeps idle ones).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New branch name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parent database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create git branch &amp;&amp; s&amp;witch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Create database branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Working</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading branches…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>abandoned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot list the branches of %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>git branch %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>database %1 (main database %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  ← checked out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (gone)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  ← in use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ main database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✗ not yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wait for the running action to finish.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a branch first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was not made for a git branch; switching follows git branches.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Git branch %1 no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 already works on this branch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check out the git branch and use its database (created on first use)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no database branches.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is the main database, not a branch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 does not exist yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy its parent again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop the database branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a name first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CREATE DATABASE %1 from the parent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 does not follow git branches.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create git branch %1 at HEAD, check it out and give it a database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch %1 to %2?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switching %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create git branch %1 and switch %2 to it?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create &amp;&amp; switch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creating git branch %1 and switching %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create the database branch %1 from %2?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creating %1 from %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not in the workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1

%2 is protected. Type its name to continue:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pd::ui::CloseControls</name>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close this window (Esc, Ctrl+W)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pd::ui::ConfirmNameDialog</name>
    <message>
        <source>Type %1 to confirm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type &quot;%1&quot; exactly to enable this button.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pd::ui::DiffChangeModel</name>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 altered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>destructive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · %1 destructive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; %1 left out of the SQL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (drop and create)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> — destructive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Destructive: applying it drops data or objects.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, destructive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, left out of the SQL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>privileges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Privileges of %1 on %2 %3
%4 → %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 on %2 %3%4</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pd::ui::DiffReview</name>
    <message>
        <source>Include destructive changes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pd::ui::DiffReviewWindow</name>
    <message>
        <source>Looking up the sides…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading passwords…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the schemas of %1 and %2…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the schema of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comparing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schema differences — ParityDeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An environment, migrations:ENV (what its applied migrations produce), a schema .sql file or a postgresql:// URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a schema file for From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a schema file for To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;wap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Swap From and To and compare again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Swap From and To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read both schemas again and compare them (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the comparison</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comparison progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter changes (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only &amp;destructive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only destructive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show only changes that drop data or objects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schema changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Untick a change to leave it out of the SQL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DDL in From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Row by row beside the DDL in To; an empty row stands for a line only To has</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DDL in To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Row by row beside the DDL in From; an empty row stands for a line only From has</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQL for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Selection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQL for the selection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Everything</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQL for everything</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Without it, statements that drop data are listed at the end, commented out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the SQL to the clipboard (Ctrl+C)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy SQL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as &amp;migration…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the SQL as a new migration file in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as migration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save &amp;&amp; a&amp;pply…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save and open in migration dialog</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Capture into a migration…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Capture into a migration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Revert…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revert to its migrations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generated SQL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schema file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQL files (*.sql);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a change to see its definition.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose what to compare: From and To each take an environment, migrations:ENV, a schema .sql file or a postgresql:// URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comparison failed: it was abandoned.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot compare: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comparison failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comparison cancelled. A catalog query that was already running finishes in the background and is discarded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 → %2 — Schema differences — ParityDeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>. Not compared: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No differences.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not in %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is granted nothing on it in %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>-- Select changes to see their SQL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>-- Generating SQL…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>

-- … %1 more lines not shown here (%2 in all). Copy and the Save buttons use the whole script.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not available here: open the review from the main window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The SQL turns FROM into TO, so it is applied to FROM, and FROM (%1) is not an environment of this workspace. Use Save as migration… and apply it where it belongs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the SQL as a new migration in %1, then open the migration dialog of %2 to review and apply it there</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 differs from what its migrations produce. Keep the changes, or undo them:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep what %1 has: save the SQL that turns its migrations&apos; schema into its live one as a new migration in %2 (every ticked change)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Revert %1 to its migrations…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revert %1 to its migrations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo the changes made to %1 by hand: apply the SQL that turns its live schema into what its migrations produce (every ticked change), after you have reviewed it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not available here: open the review from the main window, whose migration dialog applies the revert.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>removed — destructive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>altered — destructive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>+10 −10 ~10 · 10 destructive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>altered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The schemas are identical.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2 destructive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; %1 left out of the SQL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No further changes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No earlier changes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reverting %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>abandoned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not revert %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reverted %1 to its migrations (%2 in %3 ms).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>statement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>statements</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQL copied to the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name of the new migration in %1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sync %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name of the new migration in %1 (then applied to %2 from its migration dialog):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name of the new migration in %1 that records what was changed in %2 by hand:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>capture %1 changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save the migration: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %1 (%2 format, version %3). %4 already has these changes: mark the migration applied there (paritydeck migrate baseline %4 --to %3) so it is not run twice; other environments get it as usual.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %1 (%2 format, version %3).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pd::ui::EnvironmentCard</name>
    <message>
        <source>%1 environment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database ParityDeck checks and migrates: the selected branch, or the one in the URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From the table paritydeck.history in this environment&apos;s database (history: database): what the team did there</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check drift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check %1 for schema drift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The checked-out git branch and the database branch this environment uses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 operation in progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel %1 operation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start %1 services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop %1 services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart %1 services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply migrations…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply migrations to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Promote from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Promote %1 from %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch branch…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch the branch of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diff…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare the schema of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More actions for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart, Switch branch…, Check drift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show error details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dismiss error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide error details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling after the current step…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>read-only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>protected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>restart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is protected. Type its name to apply what %2 has applied and it has not (only if every gate passes):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Promote</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2&apos;s services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is protected. Type its name to %2 its services:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>drift: unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not compared with the migrations yet. Check drift compares the live schema with what its migrations produce. Click to review the differences.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not known: %1. Check drift compares the live schema with what its migrations produce. Click to review the differences.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>drift: checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Building the schema the migrations describe and comparing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ in sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The live schema matches what the applied migrations produce.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ drift: 1 object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ drift: %1 objects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The live schema differs from its migrations (%1). Click to review.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>drift: error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The drift check failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
Checked %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last seen: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the drift check found when the database last answered.
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2, review differences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>git %1 ↔ database %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Services:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>schema: checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>schema unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Migration history: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What its migration history said when the database last answered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (%1 is protected: its name is asked for first)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start every service of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop every service of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop, then start again, every service of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review and apply the pending migrations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the gates, then apply what %1 has applied and %2 has not</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick, create, reset or delete the branch this environment works on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare the schema of %1 with another environment, its migrations or a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare the live schema with what its applied migrations produce (builds a throwaway database)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The drift check is running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for another applier…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applying %1 (%2 of %3)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 operation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PostgreSQL %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the server said when it last answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>database %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (answered in %1 ms)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pd::ui::EnvironmentListModel</name>
    <message>
        <source>last seen PostgreSQL %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pd::ui::HumanFormat</name>
    <message>
        <source>not checked yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>checked under a minute ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>checked %1 min ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>checked at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>protected · confirm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>read-only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes need the environment&apos;s name typed to confirm.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ParityDeck never writes to this environment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>checksum changed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>migration failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>schema %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>up to date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · %1 missing</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pd::ui::MainWindow</name>
    <message>
        <source>ParityDeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — ParityDeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Environments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Background work in progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking drift of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: drift check failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: drift checked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no migrations folder to compare with.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 matches its migrations.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 differs from its migrations: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 on %2 succeeded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check every environment now (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Compare environments…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare the schemas of two environments (Ctrl+D)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check &amp;drift everywhere</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare every reachable environment with its migrations (Ctrl+Shift+D)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Parity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How alike the environments are: config, secrets, migrations, schema (Ctrl+P)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Secrets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secret references per environment: present or missing, set and delete (Ctrl+Shift+S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everything ParityDeck changed, by whom and when (Ctrl+L)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Se&amp;ttings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start at login, check intervals, notifications, appearance (Ctrl+,)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Hide to tray</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compact &amp;rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One line per environment instead of a card (Ctrl+Shift+R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Documentation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The user guide is not installed on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the user guide (F1): %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About ParityDeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This workspace has no environments. Add them under &quot;environments:&quot; in paritydeck.yaml.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking 1 environment…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking %1 environments…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No environments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not checked yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Environment up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All environments up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs attention%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overall</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
Details are on the environment&apos;s card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>: branch action finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>: branch action failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comparing environments (parity)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit ParityDeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ParityDeck started %1 and it is still running. Stop it before quitting?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Services left running keep working; the CLI and the next ParityDeck see and control them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Stop and quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Leave running and quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping %1 service(s) before quitting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Some services could not be stopped:
%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1… and %2 more</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pd::ui::MigrationDialog</name>
    <message>
        <source>abandoned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pending (out of order)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>checksum changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>server version not known yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PostgreSQL %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not protected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>protection: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply migrations — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the migrations command — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revert %1 to its migrations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the revert is applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the migrations are applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Migrations not applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQL of the selected migration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a migration to see its SQL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQL that reverts %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Making the SQL…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undoing what was made by hand usually drops it: without this, those statements are listed commented out and do not run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ Warning: these statements lose data or break readers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Destructive statements</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is protected. Type its name to enable Apply:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the environment name to confirm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is protected. Type its name to enable Revert:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is read-only: ParityDeck never writes to it, so it cannot be reverted here. A dry run still checks the SQL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is read-only: ParityDeck never writes to it, so migrations cannot be applied here. A dry run still shows what would run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Migrations applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%v of %m</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dry run output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output of the migrations command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Dry run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dry run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply migrations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the running migration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the statement that is running now: its migration is rolled back and the rest stay pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the migrations command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the migrations command now (its whole process group); what it has already committed stays applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the migrations command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Revert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the revert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the revert: its one transaction is rolled back and nothing changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revert progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling the revert…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling after the current migration…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping the migrations command…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 differs from what its migrations produce in %2. This SQL undoes that in one transaction; its migration history is not changed, and nothing runs if %1 changed since it was compared.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the migration status of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The migration status could not be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing pending: the schema is up to date.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not SQL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>syntax error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no transaction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>destructive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>syntax error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The migration status is not known.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing pending.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The history has problems to resolve first (see the list).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the pending migrations…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type &quot;%1&quot; to confirm.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply %1 pending migration(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run `%1` against %2 (%3 pending)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing pending: a dry run would have nothing to show.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show what would run, without changing anything</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the connection and show what `%1` would be run against, without running it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applied by the workspace&apos;s migrations command: `%1`, run in %2 with the connection of %3 in %4 (never on its command line).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Pending is read from its history, %1 (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> The database has no migration history yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
The history has problems; the command decides whether to go ahead: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled: the migrations command was stopped. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dry run failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Would run `%1` in %2 with the connection of %3 in %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 pending (head %2):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The command itself was not run: the statements are the tool&apos;s to choose.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dry run: nothing was run or changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ran `%1` in %2: head %3 → %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, no migration applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, applied %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; up to date.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; %1 still pending.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for another applier: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>▶ `%1` running…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>■ `%1` ended after %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>▶ %1 running…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ %1 applied in %2 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 statement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 statements</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>would apply %1 (%2%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, no transaction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>    destructive: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to do: no pending migrations.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dry run: nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled after %1: the remaining migrations stay pending.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no migration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applied 1 migration to %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applied %1 migrations to %2: %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>revert of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reverted. Compare again to review anything newer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the SQL…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The SQL has a syntax error (see the list).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply the SQL to %1 in one transaction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check that %1 is still as it was compared and show what would run, without changing anything</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revert failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is still as it was compared; would run %2 in one transaction:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reverted %1 to its migrations: %2 in %3.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pd::ui::ParityModel</name>
    <message>
        <source> · set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>= same%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>≠ different%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✗ missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>? unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every environment agrees</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not every environment agrees</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
Weight %1 in the score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
A promotion gate: must match to promote</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
Secret: compared by hash, never shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
Compared by presence only: its values differ by design (parity.presence_only).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
Double-click to review the schema difference.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Config keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secrets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Migrations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schema</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extensions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Probes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Privileges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reference data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compared</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pd::ui::ParityView</name>
    <message>
        <source>Parity — ParityDeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comparing environments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Compare again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read every environment again (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only &amp;differences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parity matrix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score per pair of environments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pair</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rows that match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>= same: has the row&apos;s reference value, the one most environments share (ties: the environment listed first) · ≠ different: another value, or no two environments agree · ✗ missing: not set, not resolving or not installed · ? unknown: could not be checked (a cell&apos;s tooltip says why). Config values show as a keyed-hash prefix unless listed under parity.show_values; secrets only as set.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parity: not compared yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comparing every environment…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The comparison was abandoned.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overall: %1 · %2 of %3 rows match%4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · below target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 not checked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>compared at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>note: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every compared row matches.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pd::ui::PipelineStrip</name>
    <message>
        <source>head unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>head %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pending unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Promotion pipeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>promoted to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
not checked yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 stage: not checked yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 stage: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pd::ui::SecretEditDialog</name>
    <message>
        <source>Set %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reveal %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Store a new value for %1 in the keyring (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete %1 from the keyring (%2)? Whatever uses it will no longer find it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the value of %1 (%2), a secret of the protected environment %3? The audit log records that it was shown, never the value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat the value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Value:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Repeat:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type %1 to confirm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type &quot;%1&quot; to confirm:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reveal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the new value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two values differ.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is protected: type its name exactly to confirm.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pd::ui::SecretsView</name>
    <message>
        <source>Secrets — ParityDeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secret references of every environment. Values stay masked; Reveal shows one for a few seconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secrets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Environment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not checked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reveal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Set…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Check again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Look every reference up again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hidden again in %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No environment has secret references (a database password or &quot;secrets:&quot; in paritydeck.yaml).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the lookup was abandoned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ present</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✗ missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ cannot read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a secret first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is missing: there is nothing to reveal.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Still looking %1 up…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the value for %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, once you have typed %1 (protected)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Store a new value in the keyring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not in the keyring.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete it from the keyring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>shown in the secrets view for %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Storing %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>abandoned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stored %1 in the keyring.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not store %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleting %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not delete %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted %1 from the keyring.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was not in the keyring.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pd::ui::SettingsDialog</name>
    <message>
        <source>Settings — ParityDeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start &amp;minimised to the tray</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open only the tray icon at launch (when a system tray is available)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start ParityDeck when I &amp;log in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writes %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show desktop &amp;notifications when:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a schema &amp;drifts from its migrations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an environment goes &amp;down or fails</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an environment is &amp;back up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an action &amp;finishes (start, stop, apply, drift check, branch)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check every environment e&amp;very</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status check interval in seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-check d&amp;rift every</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never (off)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drift check interval in seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colours of every ParityDeck window; applied at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Appearance:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close (Esc, Ctrl+W)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unticked, the workspace&apos;s values apply (refresh_interval %1, drift_interval %2). Your own values are for this computer only; environments with their own drift_interval keep it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the autostart entry…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removing the autostart entry…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ParityDeck starts at login (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ParityDeck no longer starts at login.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pd::ui::StatusLight</name>
    <message>
        <source>Status: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 status: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pd::ui::TrayController</name>
    <message>
        <source>Show in window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply pending migrations…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check drift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare every reachable environment with its migrations now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>was %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: drift, 1 object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: drift, %2 objects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1&apos;s live schema differs from its migrations (%2). Click to review.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the window to act on environments.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (asks for %2&apos;s name first)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start every service of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop every service of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart every service of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review and apply in the window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply 1 pending migration…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply %1 pending migrations…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ParityDeck — %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
