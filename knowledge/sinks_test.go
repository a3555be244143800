package knowledge

import "testing"

func TestFlowTables(t *testing.T) {
	ft, err := loadFlowTables()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		class, method string
		kind          SinkKind
		n             int
	}{
		{"Landroid/telephony/SmsManager;", "sendTextMessage", SinkSMS, 1},
		{"Ljava/io/OutputStream;", "write", SinkStream, 1},
		{"Ljava/io/PrintWriter;", "println", SinkStream, 1}, // "*"
		{"Lcom/umeng/analytics/MobclickAgent;", "onEvent", SinkSDK, 1},
		{"Landroid/util/Log;", "d", SinkLog, 1},
		{"Ljava/io/OutputStream;", "flush", "", 0},     // not a write
		{"Landroid/util/Logx;", "d", "", 0},            // a look-alike class
		{"Ljava/lang/StringBuilder;", "append", "", 0}, // a propagator, not a sink
		{"Landroid/telephony/SmsManager;", "divideMessage", "", 0},
	}
	for _, c := range cases {
		got := ft.Sink(c.class, c.method)
		if len(got) != c.n || (c.n > 0 && got[0].Kind != c.kind) {
			t.Errorf("Sink(%s, %s) = %v, want %d of kind %q", c.class, c.method, got, c.n, c.kind)
		}
	}
	if r := ft.Sink("Landroid/telephony/SmsManager;", "sendTextMessage")[0]; r.Dest != 1 || len(r.Data) != 1 || r.Data[0] != 3 {
		t.Errorf("sendTextMessage: dest %d data %v", r.Dest, r.Data)
	}
	if r := ft.Sink("Lcom/umeng/analytics/MobclickAgent;", "onEvent")[0]; r.SDK != "Umeng Analytics (友盟统计)" {
		t.Errorf("Umeng sink names %q", r.SDK)
	}
	if o := ft.Origin("Ljava/net/URL;", "<init>"); len(o) != 1 || o[0].Kind != "network" || o[0].Dest != 1 {
		t.Errorf("URL origin %+v", o)
	}
	if o := ft.Origin("Ljava/net/URL;", "openConnection"); len(o) != 1 || o[0].Dest != NoArg {
		t.Errorf("openConnection origin %+v", o)
	}
	if r := ft.Read("Landroid/widget/EditText;", "getText"); r == nil {
		t.Error("EditText.getText is not a read")
	}
	if r := ft.Read("Landroid/widget/EditText;", "setText"); r != nil {
		t.Error("EditText.setText is a read")
	}
	if v := ft.View("findViewById"); v == nil || v.ID != 1 {
		t.Errorf("findViewById %+v", v)
	}
	if h := ft.Handoff("Landroid/os/Handler;", "post"); len(h) != 1 || h[0].Run != "run" || h[0].Arg != 1 {
		t.Errorf("Handler.post %+v", h)
	}
	for m, want := range map[string]bool{"onReceive": true, "onStartCommand": true, "onNewIntent": true, "onCreate": false, "onStartcommand": false} {
		if got := ft.ReceivesIntent(m); got != want {
			t.Errorf("ReceivesIntent(%s) = %v", m, got)
		}
	}
	if !ft.Collection("Ljava/util/ArrayList;") || ft.Collection("Lorg/json/JSONObject;") {
		t.Error("collections: ArrayList is one, JSONObject is not")
	}
	// Every SDK sink names an SDK the tracker table knows, so that the
	// report's destination is the tracker's name.
	names := map[string]bool{}
	for _, tr := range Trackers() {
		names[tr.Name] = true
	}
	for _, s := range ft.Sinks {
		if s.Kind == SinkSDK && !names[s.SDK] && s.SDK != "Firebase Realtime Database" && s.SDK != "Cloud Firestore" {
			t.Errorf("SDK sink %s->%s names %q, not in trackers.json", s.Class, s.Method, s.SDK)
		}
	}
}
