import csv, sys, collections
rows=[r for r in csv.DictReader(open(sys.argv[1])) if r['status']=='ok']
b0=min(int(r['budget']) for r in rows)
by=collections.defaultdict(list)
for r in rows:
    if int(r['budget'])==b0: by[r['criterion']].append(r)
tot=above=0
for c,rs in sorted(by.items()):
    uni=[(float(r['macs_share']),float(r['val_accuracy'])) for r in rs if r['origin']=='uniform']
    srch=[(float(r['macs_share']),float(r['val_accuracy'])) for r in rs if r['origin']!='uniform']
    a=0; n=0
    for m,acc in srch:
        cands=[u[1] for u in uni if u[0]<=m+1e-9]
        if not cands: continue
        n+=1; best=max(cands)
        a+= acc>best
    tot+=n; above+=a
    print(f"{c:14s} uniform {len(uni)} searched {len(srch)} comparable {n} above uniform staircase {a}")
print("all", above, "/", tot)
