import struct
from collections import Counter
f=open('/work/shared/captures/pptp-linux-to-pptpd-mschapv2-mppe128.pcap','rb').read()
off=24;n=0;gre=[];frags={};nfrag=0
while off<len(f):
    ts,tu,incl,orig=struct.unpack('<IIII',f[off:off+16]);off+=16
    pkt=f[off:off+incl];off+=incl;n+=1
    if struct.unpack('>H',pkt[12:14])[0]!=0x0800 or pkt[14+9]!=47: continue
    ip=pkt[14:]; ihl=(ip[0]&15)*4; tot=struct.unpack('>H',ip[2:4])[0]; fr=struct.unpack('>H',ip[6:8])[0]
    ip=ip[:tot]
    key=(ip[12:20],ip[4:6])
    if fr & 0x3fff:
        nfrag+=1
        frags.setdefault(key,[]).append(((fr&0x1fff)*8, fr&0x2000, ip, n, ts*1000+tu//1000))
        parts=sorted(frags[key],key=lambda x:x[0])
        if parts[0][0]==0 and not parts[-1][1]:
            body=b''; ok=True
            for o,mf,p,_,_ in parts:
                h=(p[0]&15)*4
                if o!=len(body): ok=False
                body+=p[h:]
            if ok:
                h0=(parts[0][2][0]&15)*4
                hdr=bytearray(parts[0][2][:h0]); hdr[2:4]=struct.pack('>H',h0+len(body)); hdr[6:8]=struct.pack('>H',0x4000 if False else 0)
                gre.append((n,ts*1000+tu//1000,bytes(hdr)+body,True)); del frags[key]
        continue
    gre.append((n,ts*1000+tu//1000,ip,False))
print('gre packets',len(gre),'fragments',nfrag,'left',len(frags))
t0=gre[0][1]
rows=[];fulls=[];c=Counter()
for n,t,ip,re in gre:
    ihl=(ip[0]&15)*4
    g=ip[ihl:]
    s=bool(g[0]&0x10); a=bool(g[1]&0x80)
    hl=8+4*s+4*a
    d=0 if ip[12:16]==bytes([192,0,2,11]) else 1
    c[(d,hex(g[0]),hex(g[1]),re)]+=1
    rows.append((n,d,t-t0,g[:hl],len(g)-hl))
    if not re and (len(fulls)<4 or (not s and len([x for x in fulls if x[2]=='ack'])<2) or (d==1 and a and len([x for x in fulls if x[2]=='srv'])<1)):
        fulls.append((n,ip,'ack' if not s else ('srv' if d==1 else 'data')))
print(c, max(r[4] for r in rows))
with open('/work/wt/gre/tests/vectors/gre/capture_vectors.h','w') as o:
    o.write('''/* Enhanced GRE headers from a real pptp-linux 1.10.0 (192.0.2.11, the
 * client, call id 13490) <-> pptpd 1.4.0 (192.0.2.10, call id 128) session:
 * every GRE packet of the first 800 frames of the lab capture
 * pptp-linux-to-pptpd-mschapv2-mppe128.pcap, IP fragments reassembled as
 * the kernel does before raw delivery (see docs/gre.md). Generated once by
 * a script; the tests never read the capture itself.
 * dir 0: client -> server, 1: server -> client. time_ms from the first. */
#ifndef OPENPPTP_TEST_GRE_CAPTURE_VECTORS_H
#define OPENPPTP_TEST_GRE_CAPTURE_VECTORS_H

#include <stddef.h>
#include <stdint.h>

struct gre_capture_vector {
	uint16_t frame;
	uint8_t dir;
	uint32_t time_ms;
	uint8_t header_len;
	uint8_t header[16];
	uint16_t payload_bytes; /* bytes after the header in the packet */
};

static const struct gre_capture_vector gre_capture_vectors[] = {
''')
    for n,d,t,h,pl in rows:
        o.write('\t{ %d, %d, %d, %d, { %s }, %d },\n'%(n,d,t,len(h),', '.join('0x%02x'%b for b in h),pl))
    o.write('};\n\n#define GRE_CAPTURE_VECTOR_COUNT (sizeof(gre_capture_vectors) / sizeof(gre_capture_vectors[0]))\n\n')
    o.write('/* Whole IPv4 packets as a raw IPPROTO_GRE socket returns them. */\nstruct gre_capture_ip {\n\tuint16_t frame;\n\tuint8_t dir;\n\tsize_t len;\n\tconst uint8_t *bytes;\n};\n\n')
    for n,ip,k in fulls:
        o.write('static const uint8_t gre_capture_ip_%d[] = {\n'%n)
        for i in range(0,len(ip),12):
            o.write('\t'+' '.join('0x%02x,'%b for b in ip[i:i+12])+'\n')
        o.write('};\n')
    o.write('\nstatic const struct gre_capture_ip gre_capture_ips[] = {\n')
    for n,ip,k in fulls:
        o.write('\t{ %d, %d, sizeof(gre_capture_ip_%d), gre_capture_ip_%d }, /* %s */\n'%(n,0 if k!='srv' else 1,n,n,k))
    o.write('};\n\n#define GRE_CAPTURE_IP_COUNT (sizeof(gre_capture_ips) / sizeof(gre_capture_ips[0]))\n\n#endif\n')
    # seeds for fuzz corpus
import os
os.makedirs('/work/wt/gre/tests/fuzz/corpus/gre',exist_ok=True)
for n,ip,k in fulls:
    open('/work/wt/gre/tests/fuzz/corpus/gre/capture-frame-%d'%n,'wb').write(ip)
for d in (0,1):
    last_seq=None; acked=None; mo=0
    for n,dd,t,h,pl in rows:
        s=bool(h[0]&0x10);a=bool(h[1]&0x80)
        if dd==d and s: last_seq=struct.unpack('>I',h[8:12])[0]
        if dd!=d and a: acked=struct.unpack('>I',h[-4:])[0]
        if last_seq is not None and acked is not None: mo=max(mo,(last_seq-acked)&0xffffffff)
    print('dir',d,'max outstanding',mo, 'first seq', [struct.unpack('>I',r[3][8:12])[0] for r in rows if r[1]==d and r[3][0]&0x10][:1], 'acks only', sum(1 for r in rows if r[1]==d and not r[3][0]&0x10))
