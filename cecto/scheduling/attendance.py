"""Recording attendance: the one way minutes reach the ledger for a session.

Every source (roll call, QR check-in, meeting reports, our CSV, self-paced approval) calls
`attendance_record`, which keeps one AttendanceRecord per enrollment and session and makes the
ledger credit exactly what the track's partial-credit policy gives for it.
"""
