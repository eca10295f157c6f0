const t0 = performance.now();
const m = await import(process.argv[2]);
console.log('import', (performance.now()-t0).toFixed(0));
