package stringscan

import "appxray/internal/axmltest"

// The tests' binary XML writer (internal/axmltest), by its local names.
type (
	xattr = axmltest.Attr
	xnode = axmltest.Node
)

var (
	el        = axmltest.El
	aStr      = axmltest.Str
	buildAXML = axmltest.Build
)
