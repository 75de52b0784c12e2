// Package audit is sisemu's durable governance audit journal: JSON lines,
// each record carrying the SHA-256 of the previous record, so that any
// change to a journal after the fact is found at the exact record.
//
// # Format
//
// One record per line, LF-terminated, ASCII only, members in this order:
//
//	{"seq":1,"ts_ns":0,"event":"load",<fields…>,"prev":"<64 hex>","hash":"<64 hex>"}
//
// seq counts records from 1; ts_ns is virtual time in ns since boot; event
// names the governance decision; the fields are scalars (string, integer,
// bool) in the order the event gives them. prev is the hash of the previous
// record (Genesis, 64 zeros, for the first). hash is the hex SHA-256 of the
// line's bytes up to, not including, `,"hash":`, so it covers prev too and
// the chain runs through every byte of the file. Records are canonical:
// decoding and re-encoding one gives the same bytes, so a verifier can
// insist on them byte for byte.
//
// # Durability
//
// Journal.Append writes a whole line with one write and fsyncs before it
// returns: a record that Append returned survives a crash of the process.
// Open verifies an existing file and continues its chain; it refuses a file
// that does not verify rather than extend a damaged chain.
//
// # Verification
//
// Verify checks every record in order (canonical form, own hash, seq equal to
// position, prev equal to the previous hash, line end present) and reports
// the first bad one. Removing records from the end of a file leaves a valid
// shorter chain; compare Report.Head with an anchor kept elsewhere to see it.
package audit
