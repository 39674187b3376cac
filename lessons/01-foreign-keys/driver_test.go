package foreignkeys

// The checks run Open with the checker's counting driver, checker.DriverName
// (the open helper in check_test.go fails the check if the handle is not
// counted, so this cannot drift from it unseen). This is the one file of the
// checks in the lesson's own package, since driverName is not exported: it
// declares no name and imports nothing, so it takes none of yours.
func init() { driverName = "workbook-sqlite3" }
