package main

# A triple loop over a range: never finishes in practice.
deny contains msg if {
	some a in numbers.range(1, 100000)
	some b in numbers.range(1, 100000)
	some c in numbers.range(1, 100000)
	a + b + c < 0
	msg := "unreachable"
}
