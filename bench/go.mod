module github.com/hostplane/hostplane/bench

go 1.26.0

replace github.com/hostplane/hostplane/libs => ../libs

require github.com/hostplane/hostplane/libs v0.0.0
