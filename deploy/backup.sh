#!/usr/bin/env bash
# Nightly backup of Echo's database, encrypted before it leaves the machine.
#
#   deploy/backup.sh /var/backups/echo        (as a user that may pg_dump the database)
#
# What is in it: the whole database, with the encrypted fields still
# encrypted (FIELD_ENCRYPTION_KEYS is not in the database). What is not: the
# keys (/etc/echo/echo.env), which are kept apart (see README, "Backups"),
# and Redis (the broker and cache hold nothing that the database does not).
#
# Needs `age` (apt-get install age) and the public key of the backup
# recipient in /etc/echo/backup-recipient.txt; the private key stays offline.
set -euo pipefail
target=${1:?usage: backup.sh <directory>}
database=${ECHO_DATABASE:-echo}
recipients=${ECHO_BACKUP_RECIPIENTS:-/etc/echo/backup-recipient.txt}
keep_days=${ECHO_BACKUP_DAYS:-30}

mkdir -p "$target"
file="$target/echo-$(date -u +%Y%m%dT%H%M%SZ).dump.age"
# Custom format: compressed, and pg_restore can restore it table by table.
pg_dump --format=custom --no-owner --dbname="$database" |
  age --encrypt --recipients-file "$recipients" >"$file.partial"
mv "$file.partial" "$file"
find "$target" -name 'echo-*.dump.age' -mtime +"$keep_days" -delete
echo "backup written: $file ($(du -h "$file" | cut -f1))"
