// Package apksig parses and verifies the signatures of an Android APK.
//
// It understands the three signing schemes Android uses:
//
//   - v1, JAR signing: META-INF/MANIFEST.MF, a signature file (*.SF) and a
//     PKCS #7 SignedData block (*.RSA, *.DSA, *.EC) signing it;
//   - v2, v3 and v3.1: ID-value pairs inside the APK Signing Block, which
//     sits between the ZIP entries and the central directory.
//
// The core functions work on bytes (ParseSigningBlock, ParseV2, ParseV3,
// ParseV1) so that they can be used and fuzzed without a ZIP reader; Read
// ties them to an APK opened with appxray/zipapk.
//
// Problems found in one signer never stop the others from being read: they
// are recorded in Signer.Problems and Result.Problems.
package apksig
