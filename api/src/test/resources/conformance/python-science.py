import os, time
import numpy, pandas, scipy.linalg
# The libraries load and compute, and say nothing on stderr while they do.
assert int(numpy.arange(4).sum()) == 6
assert int(pandas.DataFrame({'a': [1, 2]})['a'].sum()) == 3
assert abs(scipy.linalg.det(numpy.eye(2)) - 1) < 1e-9
os.makedirs('d/e', exist_ok=True)
for n in ('x.txt', 'y.txt'):
    with open('d/' + n, 'w') as f:
        f.write('hello\n')
print(open('d/x.txt').read(), end='')
print(os.stat('d/x.txt').st_size)
print(' '.join(sorted(os.listdir('d'))))
print(str(any(l.startswith('Name:') for l in open('/proc/self/status'))).lower())
print(time.gmtime().tm_year)
with open('/tmp/t', 'w') as f:
    f.write('tmp ok')
print(open('/tmp/t').read())
