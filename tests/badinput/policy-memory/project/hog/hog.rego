package main

# A comprehension over a hundred million numbers.
deny contains msg if {
	numbers := [n | some n in numbers.range(1, 100000000)]
	count(numbers) < 0
	msg := "unreachable"
}
