module krps.test/runc-wrapper

go 1.22
