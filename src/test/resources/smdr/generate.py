# Writes ipoffice-week.smdr (a week of Avaya IP Office SMDR records for PhoneChannelTest) and prints the figures
# the test expects. Deterministic (fixed seed): run it again only to change the stream, then update the test.
import random, datetime, json, os
random.seed(8)
agents=[("201","Alice Martin"),("202","Bruno Petit"),("203","Chloe Roux"),("204","David Blanc"),("205","Emma Faure")]
trunks=[("T9001","Line 1.1"),("T9002","Line 1.2"),("T9003","Line 1.3"),("T9004","Line 1.4")]
DDI="0467100200"
lines=[]; calls=[]
cid=[1004000]
def hms(s): return "%02d:%02d:%02d"%(s//3600,(s%3600)//60,s%60)
def rec(start,conn,ring,caller,d,called,dialled,acct,internal,callid,cont,p1,p1n,p2,p2n,hold=0,park=0,fmt=35,cause=""):
    base=[start.strftime("%Y/%m/%d %H:%M:%S"),hms(conn),str(ring),caller,d,called,dialled,acct,str(internal),str(callid),str(cont),p1,p1n,p2,p2n,str(hold),str(park)]
    if fmt==17: return ",".join(base)
    end=start+datetime.timedelta(seconds=conn+ring+hold+park)
    more=["0","n/a","","0.00","EUR","0.00","0","0","0.00","0.00%",cause,"",""]
    if fmt==30: return ",".join(base+more)
    r11=["192.168.42.10",str(callid),"192.168.42.10",str(callid+1),end.strftime("%Y/%m/%d %H:%M:%S")]
    return ",".join(base+more+r11)
def newid():
    cid[0]+=2; return cid[0]
def caller_no(): return "06%08d"%random.randint(10000000,99999999)
stats={}
def add(day,kind,direction="INBOUND",answer=None,talk=0,segs=[],note=""):
    calls.append(dict(day=day,kind=kind,direction=direction,answer=answer,talk=talk,note=note))
days=[datetime.date(2026,3,2)+datetime.timedelta(days=i) for i in range(5)]
def t(day,h,m,s): return datetime.datetime(day.year,day.month,day.day,h,m,s)
pending=[]  # lines to interleave
specials=[]
for di,day in enumerate(days):
    clock=t(day,8,2,0)
    n=0
    plan=["answered"]*14+["abandoned"]*4+["voicemail"]*2+["xfer_agent"]*2+["xfer_vm"]+["conference"]+["three_seg"]+["outbound"]+["outbound_na"]+["internal"]
    random.shuffle(plan)
    for kind in plan:
        clock+=datetime.timedelta(minutes=random.randint(4,19),seconds=random.randint(0,59))
        callid=newid(); caller=caller_no(); tr=random.choice(trunks); a=random.choice(agents)
        fmt=random.choice([35,35,35,30,17])
        acct=""
        if kind=="answered":
            ring=random.randint(2,30); talk=random.randint(40,900); hold=random.choice([0,0,0,15,40])
            lines.append(rec(clock,talk,ring,caller,"I",DDI,DDI,acct,0,callid,0,"E"+a[0],a[1],tr[0],tr[1],hold,fmt=fmt))
            add(day,"ANSWERED",answer=ring,talk=talk)
        elif kind=="abandoned":
            ring=random.randint(5,70)
            c="" if random.random()<0.2 else caller
            lines.append(rec(clock,0,ring,c,"I",DDI,DDI,"",0,callid,0,"E"+a[0],a[1],tr[0],tr[1],fmt=fmt))
            add(day,"ABANDONED")
        elif kind=="voicemail":
            ring=random.randint(15,30); vm=random.randint(20,90)
            lines.append(rec(clock,vm,ring,caller,"I",DDI,DDI,"",0,callid,0,"V95%02d"%random.randint(1,4),"VM Channel",tr[0],tr[1],fmt=fmt,cause="HG fnr"))
            add(day,"VOICEMAIL")
        elif kind=="xfer_agent":
            r1=random.randint(3,12); c1=random.randint(30,200); h=random.randint(10,60); b=random.choice([x for x in agents if x!=a]); r2=random.randint(2,9); c2=random.randint(60,600)
            lines.append(rec(clock,c1,r1,caller,"I",DDI,DDI,"",0,callid,1,"E"+a[0],a[1],tr[0],tr[1],h,fmt=35,cause="U XfP"))
            pending.append(rec(clock,c2,r2,caller,"I",DDI,DDI,"",0,callid,0,"E"+b[0],b[1],tr[0],tr[1],fmt=35,cause="U Xfd"))
            add(day,"ANSWERED",answer=r1,talk=c1+c2)
        elif kind=="xfer_vm":
            r1=random.randint(3,12); c1=random.randint(5,40); c2=random.randint(10,40)
            lines.append(rec(clock,c1,r1,caller,"I",DDI,DDI,"",0,callid,1,"E"+a[0],a[1],tr[0],tr[1],random.randint(5,15),fmt=35))
            lines.append(rec(clock,c2,0,caller,"I",DDI,DDI,"",0,callid,0,"V9502","VM Channel 2",tr[0],tr[1],fmt=35))
            add(day,"ANSWERED",answer=r1,talk=c1)
        elif kind=="conference":
            r1=random.randint(3,12); c1=random.randint(60,200); c2=random.randint(120,900)
            lines.append(rec(clock,c1,r1,caller,"I",DDI,DDI,"",0,callid,1,"E"+a[0],a[1],tr[0],tr[1],fmt=35,cause="U CfP"))
            lines.append(rec(clock,c2,0,caller,"I",DDI,DDI,"",0,callid,0,"V9551","CO Channel 1",tr[0],tr[1],fmt=35,cause="U Cfd"))
            add(day,"ANSWERED",answer=r1,talk=c1+c2)
        elif kind=="three_seg":
            bs=random.sample([x for x in agents if x!=a],2)
            r1=random.randint(3,12); c=[random.randint(30,300) for _ in range(3)]
            lines.append(rec(clock,c[0],r1,caller,"I",DDI,DDI,"",0,callid,1,"E"+a[0],a[1],tr[0],tr[1],fmt=35))
            pending.append(rec(clock,c[1],4,caller,"I",DDI,DDI,"",0,callid,1,"E"+bs[0][0],bs[0][1],tr[0],tr[1],20,fmt=35))
            pending.append(rec(clock,c[2],3,caller,"I",DDI,DDI,"",0,callid,0,"E"+bs[1][0],bs[1][1],tr[0],tr[1],fmt=35))
            add(day,"ANSWERED",answer=r1,talk=sum(c))
        elif kind=="outbound":
            ring=random.randint(5,20); talk=random.randint(60,400); num="9"+caller_no()
            lines.append(rec(clock,talk,ring,a[0],"O",num,num,"",0,callid,0,"E"+a[0],a[1],tr[0],tr[1],fmt=fmt))
            add(day,"ANSWERED",direction="OUTBOUND")
        elif kind=="outbound_na":
            num="9"+caller_no()
            lines.append(rec(clock,0,random.randint(20,40),a[0],"O",num,num,"",0,callid,0,"E"+a[0],a[1],tr[0],tr[1],fmt=fmt))
            add(day,"NOT_ANSWERED",direction="OUTBOUND")
        elif kind=="internal":
            b=random.choice([x for x in agents if x!=a])
            lines.append(rec(clock,random.randint(10,200),random.randint(1,6),a[0],"O",b[0],b[0],"",1,callid,0,"E"+a[0],a[1],"E"+b[0],b[1],fmt=35))
            add(day,"ANSWERED",direction="INTERNAL")
        # flush pending segments a few lines later (interleaving with other calls)
        if pending and random.random()<0.6:
            lines.extend(pending); pending.clear()
    lines.extend(pending); pending.clear()
    # customers identified: access code, phone, NM-0003, and an unknown access code, each day
    clock=t(day,17,30,0)
    for acct,caller,kind in [("4711-2026",caller_no(),"answered"),("",  "0499000001","answered"),("NM-0003",caller_no(),"abandoned"),("9999-0000",caller_no(),"answered")]:
        clock+=datetime.timedelta(minutes=7)
        callid=newid(); a=random.choice(agents); tr=random.choice(trunks)
        if kind=="answered":
            ring=random.randint(2,20); talk=random.randint(60,600)
            # access code entered during the call: on the final segment of a 2-segment call for 4711-2026
            if acct=="4711-2026":
                b=random.choice([x for x in agents if x!=a])
                lines.append(rec(clock,talk,ring,caller,"I",DDI,DDI,"",0,callid,1,"E"+a[0],a[1],tr[0],tr[1],fmt=35))
                lines.append(rec(clock,60,3,caller,"I",DDI,DDI,acct,0,callid,0,"E"+b[0],b[1],tr[0],tr[1],fmt=35))
                add(day,"ANSWERED",answer=ring,talk=talk+60,note="C0001")
            else:
                lines.append(rec(clock,talk,ring,caller,"I",DDI,DDI,acct,0,callid,0,"E"+a[0],a[1],tr[0],tr[1],fmt=35))
                add(day,"ANSWERED",answer=ring,talk=talk,note="C0002" if caller=="0499000001" else "none")
        else:
            lines.append(rec(clock,0,random.randint(5,40),caller,"I",DDI,DDI,acct,0,callid,0,"E"+a[0],a[1],tr[0],tr[1],fmt=35))
            add(day,"ABANDONED",note="C0003")
# ticket calls on day 3 (placeholders filled by the test)
day=days[2]; clock=t(day,18,20,0)
callid=newid(); a=agents[0]; tr=trunks[0]; caller=caller_no()
lines.append(rec(clock,240,6,caller,"I",DDI,DDI,"${TICKET}",0,callid,0,"E"+a[0],a[1],tr[0],tr[1],30,fmt=35)); add(day,"ANSWERED",answer=6,talk=240,note="ticket")
clock+=datetime.timedelta(minutes=10); callid=newid(); caller2=caller_no()
lines.append(rec(clock,100,9,caller2,"I",DDI,DDI,"",0,callid,1,"E202","Bruno Petit",tr[0],tr[1],fmt=35))
lines.append(rec(clock,50,2,caller2,"I",DDI,DDI,"${TICKET_DIGITS}",0,callid,0,"E203","Chloe Roux",tr[0],tr[1],fmt=35)); add(day,"ANSWERED",answer=9,talk=150,note="ticket")
# NUL prefixes on some lines, duplicates (IP Office resending), malformed lines
out=[]
for i,l in enumerate(lines):
    if i%37==5: l="\\0\\0\\0"+l
    out.append(l)
    if i%53==20: out.append(l.replace("\\0",""))  # resent record: a duplicate
malformed=["IP Office SMDR restarted","2026/03/03 10:00:00,00:01:00,5,0612345678,I,4000",
 "2026/02/30 10:00:00,00:01:00,5,0612345678,I,0467100200,0467100200,,0,1009999,0,E201,Alice Martin,T9001,Line 1.1,0,0",
 "2026/03/04 11:00:00,00:01:00,5,0612345678,X,0467100200,0467100200,,0,1009997,0,E201,Alice Martin,T9001,Line 1.1,0,0",
 "2026/03/05 12:00:00,00:01:00,five,0612345678,I,0467100200,0467100200,,0,1009995,0,E201,Alice Martin,T9001,Line 1.1,0,0",
 "2026/03/05 12:30:00,1:00,5,0612345678,I,0467100200,0467100200,,0,1009993,0,E201,Alice Martin,T9001,Line 1.1,0,0"]
for k,m in enumerate(malformed):
    out.insert(30+k*37,m)
open(os.path.join(os.path.dirname(os.path.abspath(__file__)),"ipoffice-week.smdr"),"w").write("\n".join(out)+"\n")
inb=[c for c in calls if c["direction"]=="INBOUND"]
def fig(cs):
    ans=[c for c in cs if c["kind"]=="ANSWERED"]
    return dict(total=len(cs),answered=len(ans),abandoned=sum(c["kind"]=="ABANDONED" for c in cs),voicemail=sum(c["kind"]=="VOICEMAIL" for c in cs),
      avg=round(sum(c["answer"] for c in ans)/len(ans),1), abrate=round(sum(c["kind"]=="ABANDONED" for c in cs)/len(cs),4))
print("lines",len(out),"records",len(lines),"calls",len(calls),"dups",sum(1 for i in range(len(lines)) if i%53==20),"nul",sum(1 for i in range(len(lines)) if i%37==5))
print("all inbound",fig(inb))
for d in days: print(d,fig([c for c in inb if c["day"]==d]))
print("outbound",sum(c["direction"]=="OUTBOUND" for c in calls),"internal",sum(c["direction"]=="INTERNAL" for c in calls))
print("multi-seg", sum(1 for c in calls))
from fractions import Fraction
ans=[c for c in inb if c["kind"]=="ANSWERED"]
print("exact avg", Fraction(sum(c["answer"] for c in ans),len(ans)), float(Fraction(sum(c["answer"] for c in ans),len(ans))))
for d in days:
    a=[c for c in ans if c["day"]==d]; print(d, float(Fraction(sum(c["answer"] for c in a),len(a))))
import collections
print(collections.Counter(c["note"] for c in calls))
