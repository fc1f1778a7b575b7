/* MS-CHAPv2 exchange copied from the pptp-linux -> pptpd capture
 * (pptp-linux-to-pptpd-mschapv2-mppe128.pcap, frames 40, 43, 44: the PPP
 * CHAP payloads, protocol 0xC223, from Code to the end).
 * User testuser, password testpass123, authenticator name "pptpd". */
#ifndef OPENPPTP_TEST_VECTORS_AUTH_CAPTURE_MSCHAPV2_H
#define OPENPPTP_TEST_VECTORS_AUTH_CAPTURE_MSCHAPV2_H

#include <stdint.h>

/* frame 40, pptpd -> client: Challenge id 0xf4 */
static const uint8_t capture_challenge[] = {
	0x01, 0xf4, 0x00, 0x1a, 0x10,
	0x76, 0xaf, 0xde, 0xb1, 0x5d, 0xa5, 0x4d, 0x90,
	0x77, 0x95, 0x09, 0xba, 0xe1, 0x40, 0x76, 0x75,
	'p', 'p', 't', 'p', 'd',
};

/* frame 43, client -> pptpd: Response id 0xf4, value size 49 */
static const uint8_t capture_response[] = {
	0x02, 0xf4, 0x00, 0x3e, 0x31,
	/* peer challenge */
	0x2b, 0x2c, 0x47, 0xc8, 0x84, 0x0b, 0xe5, 0x65,
	0x79, 0x24, 0x1b, 0xcd, 0x31, 0x5e, 0xe6, 0x20,
	/* reserved */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* NT-Response */
	0xb7, 0x15, 0x5c, 0x58, 0x75, 0x8f, 0xe7, 0xcb,
	0xa2, 0x3e, 0xd3, 0x2b, 0x52, 0xd4, 0xac, 0x8e,
	0xb9, 0xc5, 0x80, 0x96, 0x8f, 0x0e, 0x1a, 0x16,
	/* flags */
	0x00,
	't', 'e', 's', 't', 'u', 's', 'e', 'r',
};

/* frame 44, pptpd -> client: Success id 0xf4 */
static const uint8_t capture_success[] = {
	0x03, 0xf4, 0x00, 0x3f,
	'S', '=', '0', '5', '7', 'C', '7', 'D', '4', '7', 'C', '1', '7', 'F', 'A', 'D',
	'2', '3', '8', 'C', 'A', '4', '1', '3', '7', '6', 'F', '2', 'D', '3', '6', '0',
	'5', '6', '6', '8', '8', '6', 'A', '6', '3', 'E',
	' ', 'M', '=', 'A', 'c', 'c', 'e', 's', 's', ' ', 'g', 'r', 'a', 'n', 't', 'e', 'd',
};

#define CAPTURE_USER "testuser"
#define CAPTURE_PASSWORD "testpass123"

#endif
