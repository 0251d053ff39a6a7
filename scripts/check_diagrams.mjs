// Read every diagram as bpmn-js / dmn-js do (their moddle readers) and report any warning or missing shape.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { BpmnModdle } from "bpmn-moddle";
import { DmnModdle } from "dmn-moddle";

const dir = process.argv[2] || "processes";
let problems = 0;
const report = (file, message) => { problems += 1; console.log(`${file}: ${message}`); };

for (const file of readdirSync(dir).sort()) {
  const xml = readFileSync(join(dir, file), "utf8");
  if (file.endsWith(".bpmn")) {
    const { rootElement, warnings } = await new BpmnModdle().fromXML(xml);
    warnings.forEach((w) => report(file, w.message));
    const shown = new Set();
    for (const diagram of rootElement.diagrams || []) {
      for (const el of diagram.plane.planeElement || []) shown.add(el.bpmnElement && el.bpmnElement.id);
    }
    for (const root of rootElement.rootElements) {
      if (root.$type !== "bpmn:Process") continue;
      const elements = [...(root.flowElements || [])];
      for (const set of root.laneSets || []) elements.push(...(set.lanes || []));
      for (const el of elements) {
        if (!shown.has(el.id)) report(file, `${el.$type} ${el.id} has no diagram shape`);
      }
    }
  } else if (file.endsWith(".dmn")) {
    const { warnings } = await new DmnModdle().fromXML(xml, "dmn:Definitions");
    warnings.forEach((w) => report(file, w.message));
  }
}
console.log(problems ? `${problems} problems` : "diagrams ok");
process.exit(problems ? 1 : 0);
