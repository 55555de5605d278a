// Package userfile reads and writes the files `authdesk users import` and
// `authdesk users export` exchange: the users of the tutorial's Node.js +
// MongoDB API as mongoexport writes them, the ASP.NET API's users as JSON
// rows (sqlite3 -json), and AuthDesk's own export (JSON, or CSV for people).
//
// Reading streams: one record is held at a time, and a record larger than
// MaxRecordBytes is refused without reading it to the end, so a 100,000-user
// file costs no more memory than one user and a wrong file fails fast.
package userfile
