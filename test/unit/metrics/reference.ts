// metrics_reference.py (scikit-learn, NumPy, SciPy) on a JSON request.
import { join } from 'node:path';
import { runPythonJson } from '../../helpers/python-json';

export const pythonReference = <T>(request: Record<string, unknown>): T => runPythonJson<T>(join(__dirname, 'metrics_reference.py'), request);
