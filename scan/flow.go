package scan

import "appxray/knowledge"

// Flow is a path along which data the app reads (a form field, a device
// read) reaches a place it leaves by (a server, an SDK, a file, an SMS).
type Flow struct {
	ID     string     `json:"id"`
	Source FlowSource `json:"source"`
	Sink   FlowSink   `json:"sink"`
	// Path lists the places the value passes, from the read to the sink,
	// each a method and the instruction offset a reader can check with
	// dexdump -d.
	Path []FlowStep `json:"path"`
	// Confidence is high for a data-flow path traced value by value,
	// medium when the path goes through a field or a collection, low
	// when the source and the sink are only reached from the same entry
	// point.
	Confidence Confidence `json:"confidence"`
	// Via names the field or collection a medium flow goes through.
	Via string `json:"via,omitempty"`
	// SDK names the third-party SDK whose code the source lies in, ""
	// for the app's own code.
	SDK string `json:"sdk,omitempty"`
}

// FlowSource is where a flow's value comes from.
type FlowSource struct {
	Category knowledge.Category `json:"category,omitempty"`
	// Kind is "api" (a device read) or "field" (a form field).
	Kind string `json:"kind"`
	// API is the framework member read ("Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;")
	// or the view method that reads a field ("Landroid/widget/EditText;->getText()…").
	API   string `json:"api"`
	Title string `json:"title"`
	// Field and Layout name a form field (its id) and its layout.
	Field  string `json:"field,omitempty"`
	Layout string `json:"layout,omitempty"`
}

// FlowSink is where a flow's value goes.
type FlowSink struct {
	// Kind is network, webview, sms, file, log, provider, ipc or sdk.
	Kind string `json:"kind"`
	API  string `json:"api"`
	// Destination is the endpoint (URL), phone number, file path,
	// broadcast action or SDK the code names, as far as string constants
	// and StringBuilder concatenations of them show it ("…" stands for a
	// part built at run time); "" when the code does not name it.
	Destination string `json:"destination,omitempty"`
	Cleartext   bool   `json:"cleartext,omitempty"`
	// SDK names the receiving SDK (kind sdk).
	SDK   string `json:"sdk,omitempty"`
	Title string `json:"title"`
}

// FlowStep is one place on a flow's path.
type FlowStep struct {
	// Location is the method, as evidence names it:
	// "classes.dex Lorg/example/Upload;->send(Ljava/lang/String;)V".
	Location string `json:"location"`
	PC       uint32 `json:"pc"`
	What     string `json:"what"`
	// SDK names the SDK whose code the step lies in.
	SDK string `json:"sdk,omitempty"`
}
