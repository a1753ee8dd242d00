package arch

//go:generate go run ./internal/gen -o zsyscalls.go
