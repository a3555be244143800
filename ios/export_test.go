package ios_test

import "appxray/nib"

var nibNotArchive = nib.ErrNotNIBArchive
